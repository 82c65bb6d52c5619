//! What the scenario asks of each faction, and the end checks that decide who won.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use super::calendar::{Calendar, Date};
use super::diplomacy::Diplomacy;
use super::events::{Decision, GameEvent, Outcome, TurnLog};
use super::faction::{Defeated, Faction};
use super::fleet::Fleet;
use super::galaxy::Galaxy;
use super::ids::{FactionId, SectorId};
use super::script::Script;
use super::sector::Owner;
use super::turn::{Turn, TurnSystems};

/// Something a faction must bring about to win.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Objective {
    /// Hold every one of these sectors.
    Hold {
        /// The sectors.
        sectors: Vec<SectorId>,
    },
    /// Keep every one of these sectors out of enemy hands: held by the faction or by one not
    /// hostile to it there (at peace, allied, or under a cease-fire in that block).
    Protect {
        /// The sectors.
        sectors: Vec<SectorId>,
    },
    /// See this faction defeated. Decisive: met together with the faction's other
    /// objectives, it ends the scenario at once.
    Defeat {
        /// The enemy.
        faction: FactionId,
    },
    /// Not be defeated.
    Survive,
    /// Still stand on this date. Decisive.
    SurviveUntil(Date),
    /// Sign a treaty of this name. Decisive.
    SignTreaty(String),
    /// See a scripted event set this flag. Decisive.
    Flag(String),
}

impl Objective {
    /// Whether meeting it (with the faction's other objectives) ends the scenario at once,
    /// rather than at its last turn.
    pub fn decisive(&self) -> bool {
        !matches!(
            self,
            Objective::Hold { .. } | Objective::Protect { .. } | Objective::Survive
        )
    }
}

/// A faction's objectives; it wins when all are met.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goals {
    /// The faction.
    pub faction: FactionId,
    /// What it must do.
    pub objectives: Vec<Objective>,
}

/// The scenario being played.
#[derive(Resource, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    /// The scenario's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The factions a person may play.
    pub playable: Vec<FactionId>,
    /// Each faction's objectives.
    pub goals: Vec<Goals>,
    /// Set once the scenario has ended.
    pub outcome: Option<Outcome>,
    /// The seed its dice started from.
    #[serde(default)]
    pub seed: u64,
}

/// What deciding whether an objective is met reads of the world: the end checks read it from
/// the live world each turn, the window's result screen from a saved state.
pub struct Standing<'a> {
    /// Each sector's owner, by sector id.
    pub owners: &'a [Option<FactionId>],
    /// Each sector's occupier, by sector id.
    pub occupiers: &'a [Option<FactionId>],
    /// The block of a sector.
    pub block_of: &'a dyn Fn(SectorId) -> super::ids::BlockId,
    /// Whether each faction is defeated, by faction id.
    pub defeated: &'a [bool],
    /// The date of the turn being decided.
    pub date: super::calendar::Date,
    /// Relations and treaties.
    pub diplomacy: &'a Diplomacy,
    /// Flags set by events.
    pub flags: &'a std::collections::BTreeSet<String>,
}

impl Standing<'_> {
    /// Whether `faction` meets `objective`.
    pub fn met(&self, faction: FactionId, objective: &Objective) -> bool {
        let owner = |s: &SectorId| self.owners.get(s.index()).copied().flatten();
        let occupier = |s: &SectorId| self.occupiers.get(s.index()).copied().flatten();
        // A sector occupied by a hostile power is in enemy hands, whoever owns it.
        let enemy =
            |f: FactionId, s: &SectorId| self.diplomacy.hostile_in(f, faction, (self.block_of)(*s));
        match objective {
            Objective::Hold { sectors } => sectors
                .iter()
                .all(|s| owner(s) == Some(faction) && occupier(s).is_none()),
            Objective::Protect { sectors } => sectors.iter().all(|s| {
                owner(s).is_some_and(|o| !enemy(o, s)) && !occupier(s).is_some_and(|o| enemy(o, s))
            }),
            Objective::Defeat { faction: enemy } => self.defeated[enemy.index()],
            Objective::Survive => !self.defeated[faction.index()],
            Objective::SurviveUntil(date) => !self.defeated[faction.index()] && self.date >= *date,
            Objective::SignTreaty(name) => self
                .diplomacy
                .treaties
                .iter()
                .any(|t| t.name == *name && t.signatories.contains(&faction)),
            Objective::Flag(flag) => self.flags.contains(flag),
        }
    }
}

/// Which factions have a sector or a fleet: when the turn began, and when it ends. A faction
/// with nothing at the end is defeated only if it had something when the turn began — one
/// that has not come onto the map yet (its fleets arrive later, by a scripted event) is not
/// defeated, and does not count among those still standing. Read from the world each turn,
/// so it is not part of the world's state.
#[derive(Resource, Default, Debug, Clone)]
pub(super) struct Presence {
    at_start: Vec<bool>,
    now: Vec<bool>,
}

fn present(n: usize, sectors: &Query<&Owner>, fleets: &Query<&Fleet>) -> Vec<bool> {
    let mut out = vec![false; n];
    for f in sectors
        .iter()
        .filter_map(|o| o.0)
        .chain(fleets.iter().map(|f| f.owner))
    {
        if let Some(p) = out.get_mut(f.index()) {
            *p = true;
        }
    }
    out
}

fn note_presence(
    sectors: Query<&Owner>,
    fleets: Query<&Fleet>,
    index: Res<super::faction::FactionIndex>,
    mut presence: ResMut<Presence>,
) {
    presence.at_start = present(index.len(), &sectors, &fleets);
}

/// Adds the end checks, and the note of who is on the map when a turn begins.
pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Presence>()
        .add_systems(Turn, note_presence.in_set(TurnSystems::Diplomacy))
        .add_systems(
            Turn,
            (mark_defeats, decide_outcome, advance_calendar)
                .chain()
                .in_set(TurnSystems::EndChecks),
        );
}

fn mark_defeats(
    calendar: Res<Calendar>,
    sectors: Query<&Owner>,
    fleets: Query<&Fleet>,
    factions: Query<(Entity, &Faction), Without<Defeated>>,
    mut presence: ResMut<Presence>,
    mut commands: Commands,
    mut log: ResMut<TurnLog>,
) {
    let n = presence.at_start.len();
    presence.now = present(n, &sectors, &fleets);
    let mut fallen: Vec<(FactionId, Entity)> = factions
        .iter()
        .filter(|(_, f)| {
            let i = f.id.index();
            i < n && presence.at_start[i] && !presence.now[i]
        })
        .map(|(e, f)| (f.id, e))
        .collect();
    fallen.sort_unstable_by_key(|f| f.0);
    for (faction, entity) in fallen {
        commands.entity(entity).insert(Defeated {
            turn: calendar.turn,
        });
        log.write(GameEvent::FactionDefeated { faction });
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "the outcome reads the calendar, relations, map, script, sectors and factions"
)]
fn decide_outcome(
    calendar: Res<Calendar>,
    diplomacy: Res<Diplomacy>,
    mut scenario: ResMut<ScenarioInfo>,
    script: Res<Script>,
    galaxy: Res<Galaxy>,
    sectors: Query<(&super::sector::Sector, &Owner)>,
    occupations: Query<(&super::sector::Sector, &super::sector::Occupation)>,
    factions: Query<(&Faction, Has<Defeated>)>,
    presence: Res<Presence>,
    mut log: ResMut<TurnLog>,
) {
    if scenario.outcome.is_some() {
        return;
    }
    let mut defeated = vec![false; diplomacy.faction_count()];
    for (f, d) in &factions {
        defeated[f.id.index()] = d;
    }
    let mut owners = vec![None; galaxy.sector_count()];
    for (s, o) in &sectors {
        owners[s.0.index()] = o.0;
    }
    let mut occupiers = vec![None; galaxy.sector_count()];
    for (s, occ) in &occupations {
        occupiers[s.0.index()] = Some(occ.by);
    }
    let block_of = |s: SectorId| galaxy.block_of(s);
    let standing = Standing {
        owners: &owners,
        occupiers: &occupiers,
        block_of: &block_of,
        defeated: &defeated,
        date: calendar.date(),
        diplomacy: &diplomacy,
        flags: &script.flags,
    };
    let met = |faction: FactionId, objective: &Objective| standing.met(faction, objective);
    let all_met = |g: &Goals| {
        !defeated[g.faction.index()]
            && !g.objectives.is_empty()
            && g.objectives.iter().all(|o| met(g.faction, o))
    };

    let decisive: Vec<FactionId> = scenario
        .goals
        .iter()
        .filter(|g| all_met(g) && g.objectives.iter().any(Objective::decisive))
        .map(|g| g.faction)
        .collect();
    // Those still standing: not defeated, and on the map (a power whose fleets have not come
    // yet neither stands nor has fallen).
    let on_map = |i: usize| presence.now.get(i).copied().unwrap_or(true);
    let standing: Vec<FactionId> = (0..defeated.len())
        .filter(|&i| !defeated[i] && on_map(i))
        .map(FactionId::from_index)
        .collect();
    let all_friends = standing
        .iter()
        .all(|&a| standing.iter().all(|&b| diplomacy.friendly(a, b)));

    let outcome = if !decisive.is_empty() {
        Some((decisive, Decision::ObjectivesMet))
    } else if standing.len() <= 1 || all_friends {
        Some((standing, Decision::LastStanding))
    } else if calendar.turn >= calendar.last_turn {
        let winners: Vec<FactionId> = scenario
            .goals
            .iter()
            .filter(|g| all_met(g))
            .map(|g| g.faction)
            .collect();
        Some((winners, Decision::TimeRanOut))
    } else {
        None
    };
    if let Some((mut winners, decision)) = outcome {
        winners.sort_unstable();
        winners.dedup();
        let outcome = Outcome {
            winners,
            decision,
            turn: calendar.turn,
            note: None,
        };
        scenario.outcome = Some(outcome.clone());
        log.write(GameEvent::ScenarioEnded(outcome));
    }
}

fn advance_calendar(mut calendar: ResMut<Calendar>) {
    calendar.turn += 1;
}
