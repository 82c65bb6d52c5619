//! Fleet orders and shipbuilding for one AI faction.
//!
//! Priorities, per fleet in id order: a fleet its joint command sends into a strike goes (see
//! `joint`); a crippled fleet falls back to a shipyard, escorted by the nearest free fleet
//! when it would stop beside hostile fleets; a fleet near a threatened shipyard or capital
//! goes to defend it; a fleet with a weaker enemy fleet in
//! reach attacks it; the rest advance on the weakest enemy within reach (or unclaimed space)
//! along a distance field computed once for the faction, around its own fleets, leaving for
//! later the sector blocks where the enemy has massed beyond what it could bring. Nothing
//! targets a sector or fleet where a cease-fire with its owner holds.

use std::collections::BTreeMap;

use hexx::Hex;

use crate::core::diplomacy::FleetSide;
use crate::core::faction::Archetype;
use crate::core::galaxy::Galaxy;
use crate::core::ids::{BlockId, FactionId, FleetId, SectorId};
use crate::core::orders::Order;
use crate::core::view::WorldView;

use super::Situation;
use super::field::Field;
use super::situation::{FleetInfo, Incoming};

/// Buffers reused across factions and turns.
#[derive(Default)]
pub struct Scratch {
    /// The sectors within the horizon of the faction's fleets.
    region: Field,
    /// Steps to the nearest objective, within that region.
    toward: Field,
    /// Steps to the nearest friendly shipyard, within that region.
    home: Field,
    /// The strength of the fleets hostile to the faction in each sector of that region.
    hostile: Presence,
}

/// Strength per sector, written for one faction and read in constant time: what a fleet
/// would run into on entering a sector, without going through every hostile fleet near. A
/// bit per sector says whether any is there (an eighth of a byte, so that the whole map's
/// bits stay in a core's cache); the strengths of the few sectors that have some are kept
/// beside, in sector order.
#[derive(Default)]
struct Presence {
    bits: Vec<u64>,
    strengths: Vec<(SectorId, u64)>,
}

impl Presence {
    /// Writes the strength of `fleets` (each a sector and a strength) per sector, for a map of
    /// `n` sectors, forgetting the last.
    fn fill(&mut self, n: usize, fleets: impl IntoIterator<Item = (SectorId, u32)>) {
        if self.bits.len() == n.div_ceil(64) {
            for (s, _) in self.strengths.drain(..) {
                self.bits[s.index() / 64] = 0;
            }
        } else {
            self.bits = vec![0; n.div_ceil(64)];
            self.strengths.clear();
        }
        self.strengths
            .extend(fleets.into_iter().map(|(s, v)| (s, u64::from(v))));
        self.strengths.sort_unstable_by_key(|&(s, _)| s);
        self.strengths.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
        for &(s, _) in &self.strengths {
            self.bits[s.index() / 64] |= 1 << (s.index() % 64);
        }
    }

    /// The strength written for `s`.
    fn at(&self, s: SectorId) -> u64 {
        let there = self
            .bits
            .get(s.index() / 64)
            .is_some_and(|w| w & (1 << (s.index() % 64)) != 0);
        if !there {
            return 0;
        }
        self.strengths
            .binary_search_by_key(&s, |&(t, _)| t)
            .map_or(0, |k| self.strengths[k].1)
    }
}

/// Fleets, each beside the hex it stands on: the many checks of distance among a faction's
/// fleets and those around it read this short list rather than the map's tables.
struct Placed<'a>(Vec<(Hex, &'a FleetInfo)>);

impl<'a> Placed<'a> {
    fn new(g: &Galaxy, fleets: &[&'a FleetInfo]) -> Self {
        Self(fleets.iter().map(|&f| (g.hex_of(f.at), f)).collect())
    }

    /// Those within `radius` steps of `at` on the grid, in the order given.
    fn within(&self, at: Hex, radius: u32) -> impl Iterator<Item = &'a FleetInfo> + '_ {
        self.0
            .iter()
            .filter(move |(h, _)| h.unsigned_distance_to(at) <= radius)
            .map(|&(_, f)| f)
    }

    /// Their strength within `radius` steps of `at`.
    fn strength_within(&self, at: Hex, radius: u32) -> u64 {
        self.within(at, radius).map(|f| u64::from(f.strength)).sum()
    }
}

/// Threat per sector block, as one faction sees its region: the strength of the fleets
/// hostile to it in each block, whether its side has a fleet there, and the strength its side
/// has in the whole region (what it could bring to any one block).
struct Blocks {
    /// (block, hostile strength there, whether a fleet of its side is there), by block.
    blocks: Vec<(BlockId, u64, bool)>,
    /// The strength of the faction's and its friends' fleets in the region.
    side: u64,
}

impl Blocks {
    /// The threat per block from the region's fleets as the faction sees them: for each,
    /// its block, its strength if hostile, and whether it is of the faction's side; `side` is
    /// the strength of those of its side.
    fn gather(mut seen: Vec<(BlockId, u64, bool)>, side: u64) -> Self {
        seen.sort_unstable_by_key(|b| b.0);
        let mut blocks: Vec<(BlockId, u64, bool)> = Vec::new();
        for (block, threat, ours) in seen {
            match blocks.last_mut() {
                Some(last) if last.0 == block => {
                    last.1 += threat;
                    last.2 |= ours;
                }
                _ => blocks.push((block, threat, ours)),
            }
        }
        Self { blocks, side }
    }

    /// Whether `block` is a new front not worth opening: no fleet of the faction's side is
    /// there, and the hostile fleets there are stronger than `percent` percent of all its
    /// side could bring.
    fn outmatched(&self, block: BlockId, percent: u64) -> bool {
        self.blocks
            .binary_search_by_key(&block, |b| b.0)
            .is_ok_and(|k| {
                let (_, threat, ours) = self.blocks[k];
                !ours && threat * 100 > self.side * percent
            })
    }
}

/// How a policy fights: the same priorities, weighed differently.
#[derive(Clone, Copy, Debug)]
pub struct Doctrine {
    /// Whether fleets take ground beyond what the scenario's objectives name.
    pub conquer: bool,
    /// Turns of upkeep kept in the treasury before building, at peace and at war.
    pub reserve: [i64; 2],
    /// A fleet attacks a hostile fleet up to this strength relative to its own, in tenths.
    pub strike_tenths: u64,
    /// A fleet advancing stops short of a sector holding hostile fleets stronger than this
    /// percentage of its own.
    pub advance_percent: u64,
    /// Whether fleets wait for each other before entering a fight they cannot win alone.
    pub concentrate: bool,
    /// A fleet falls back toward a friendly shipyard when the hostile strength within a step
    /// of it is above this many tenths of its side's strength within that step; `None`: it
    /// stands.
    pub retreat_tenths: Option<u64>,
    /// Whether fleets go to the defence of an ally's threatened shipyards and capital.
    pub aid_allies: bool,
    /// Whether a fleet advancing into a fight counts the friendly fleets already there.
    pub join_friends: bool,
    /// Whether a crippled fleet falling back past hostile fleets gets an escort.
    pub escort: bool,
    /// Whether fleets leave for later the ground in sector blocks where the hostile fleets
    /// outmatch all the faction's side around could bring (see [`Blocks`]).
    pub weigh_blocks: bool,
}

impl Doctrine {
    /// The baseline's: two turns of upkeep kept, strikes on fleets under four fifths of its
    /// strength, each fleet on its own.
    pub const BASELINE: Doctrine = Doctrine {
        conquer: true,
        reserve: [2, 2],
        strike_tenths: 8,
        advance_percent: 125,
        concentrate: false,
        retreat_tenths: None,
        aid_allies: false,
        join_friends: false,
        escort: false,
        weigh_blocks: false,
    };

    /// The strategic AI's, for a faction of this character. The balanced one spends down to
    /// one turn of upkeep and strikes on fleets up to nine tenths of its strength; the others
    /// lean from there. (Massing fleets before a fight is there to be chosen; measured against
    /// the baseline it won fewer games than striking at once.)
    pub const fn strategic(character: Archetype) -> Doctrine {
        let balanced = Doctrine {
            conquer: true,
            reserve: [1, 1],
            strike_tenths: 9,
            advance_percent: 125,
            concentrate: false,
            retreat_tenths: None,
            aid_allies: false,
            join_friends: true,
            escort: true,
            weigh_blocks: true,
        };
        match character {
            Archetype::Balanced => balanced,
            Archetype::Aggressive => Doctrine {
                reserve: [1, 0],
                strike_tenths: 11,
                advance_percent: 150,
                ..balanced
            },
            Archetype::Cautious => Doctrine {
                reserve: [2, 1],
                strike_tenths: 7,
                advance_percent: 90,
                retreat_tenths: Some(20),
                aid_allies: true,
                ..balanced
            },
            Archetype::HonourBound => Doctrine {
                aid_allies: true,
                ..balanced
            },
            Archetype::Opportunist => Doctrine {
                strike_tenths: 6,
                advance_percent: 80,
                retreat_tenths: Some(15),
                ..balanced
            },
        }
    }
}

/// How far (in steps) from its fleets the AI looks for objectives.
pub const HORIZON: u32 = 8;
/// Below this strength a fleet goes home to rebuild.
pub(super) const CRIPPLED: u32 = 6;

/// The fleet orders and builds of one faction. `goals` are the sectors its objectives name,
/// sorted. `settled` are the enemies it agreed this turn to stop fighting: the war will have
/// stopped when its fleets move, so it plans no campaign against them (their fleets still
/// count as a danger where they are). `incoming` holds moves already planned this turn: the
/// joint strikes', and those of factions planned before it (none in the first, shared-out
/// plans); of those it counts its friends'.
#[expect(
    clippy::too_many_arguments,
    reason = "what one faction's plan reads of the turn's planning so far"
)]
pub fn orders(
    view: &WorldView,
    sit: &Situation,
    faction: FactionId,
    scratch: &mut Scratch,
    doctrine: Doctrine,
    goals: &[SectorId],
    settled: &[FactionId],
    taken: &[FleetId],
    incoming: &Incoming,
) -> Vec<Order> {
    let conquer = doctrine.conquer;
    let d = &view.diplomacy;
    let g = &view.galaxy;
    let me = FleetSide {
        owner: faction,
        command: None,
    };
    let mut out = Vec::new();

    // The enemy to march on: the weakest one whose ground we can fight over.
    let at_war = || {
        sit.enemies[faction.index()]
            .iter()
            .copied()
            .filter(|e| !settled.contains(e))
    };
    let enemies: Vec<FactionId> = at_war().filter(|e| !sit.defeated[e.index()]).collect();
    let fightable = |e: FactionId| {
        sit.border_blocks(faction, e)
            .iter()
            .any(|&b| d.hostile_in(faction, e, b))
    };
    let weakest = |list: &mut dyn Iterator<Item = FactionId>| {
        list.min_by_key(|&e| (sit.strength[e.index()], e))
    };
    let target = weakest(&mut enemies.iter().copied().filter(|&e| fightable(e)))
        .or_else(|| weakest(&mut enemies.iter().copied()));

    let my_fleets: Vec<_> = sit.fleets_of[faction.index()]
        .iter()
        .map(|&i| &sit.fleets[i])
        .collect();
    // Objectives near the fleets: the target enemy's sectors where the war is on, and sectors
    // no one holds. The field then leads every fleet to the nearest of them.
    let is_objective = |s: SectorId| match sit.owners[s.index()] {
        Some(o) => Some(o) == target && d.hostile_in(faction, o, g.block_of(s)),
        None => !g.outside(s),
    };
    let mut key_sectors: Vec<SectorId> = sit.owned[faction.index()]
        .iter()
        .copied()
        .filter(|s| sit.shipyard[s.index()])
        .collect();
    if let Some(c) = sit.capital[faction.index()]
        && sit.owners[c.index()] == Some(faction)
        && !key_sectors.contains(&c)
    {
        key_sectors.push(c);
    }
    scratch.region.search(
        g,
        my_fleets
            .iter()
            .map(|f| f.at)
            .chain(key_sectors.iter().copied()),
        HORIZON,
        |_| true,
    );
    // The sectors the scenario asks of the faction come first, where they can be taken.
    // A goal is open when an enemy holds it, no one does, or enemy fleets are in it.
    debug_assert!(goals.is_sorted(), "goal sectors come sorted");
    let goal = |s: SectorId| {
        goals.binary_search(&s).is_ok()
            && (match sit.owners[s.index()] {
                Some(o) => o != faction && d.hostile_in(faction, o, g.block_of(s)),
                None => true,
            } || sit
                .fleets_at(s)
                .any(|t| d.fleets_hostile(me, t.side, g.block_of(s))))
    };
    let reached = scratch.region.reached();
    // Hostile fleets around ours and our key sectors: the only ones worth a look. In the same
    // pass, with a doctrine that weighs blocks, each fleet's block and side.
    let mut hostile_near: Vec<&FleetInfo> = Vec::new();
    let (mut seen, mut side) = (Vec::new(), 0);
    for t in reached.iter().flat_map(|&s| sit.fleets_at(s)) {
        let block = g.block_of(t.at);
        if d.fleets_hostile(me, t.side, block) {
            hostile_near.push(t);
            if doctrine.weigh_blocks {
                seen.push((block, u64::from(t.strength), false));
            }
        } else if doctrine.weigh_blocks && d.fleets_friendly(me, t.side) {
            side += u64::from(t.strength);
            seen.push((block, 0, true));
        }
    }
    let blocks = doctrine.weigh_blocks.then(|| Blocks::gather(seen, side));
    let mut objectives: Vec<SectorId> = if reached.iter().any(|&s| goal(s)) {
        reached.iter().copied().filter(|&s| goal(s)).collect()
    } else {
        Vec::new()
    };
    // Without conquest, fleets go only where the scenario sends them.
    if objectives.is_empty() && conquer {
        objectives = reached
            .iter()
            .copied()
            .filter(|&s| is_objective(s))
            .collect();
        // Ground in blocks where none of the faction's side stands yet and the enemy has
        // massed more than all its side around could bring waits, while there is ground to
        // take elsewhere: fleets open no front they cannot hold, rather than trickle into the
        // enemy's strength.
        if let Some(blocks) = &blocks {
            let open = |s: &SectorId| !blocks.outmatched(g.block_of(*s), doctrine.advance_percent);
            if objectives.iter().any(open) {
                objectives.retain(open);
            }
        }
    }
    let region = &scratch.region;
    scratch
        .toward
        .search(g, objectives, HORIZON, |s| region.distance(s).is_some());
    let toward = &scratch.toward;
    // Home, for crippled fleets: only worth a search when there are some.
    let crippled =
        my_fleets.iter().any(|f| f.strength < CRIPPLED) || doctrine.retreat_tenths.is_some();
    let friendly_yards: Vec<SectorId> = if crippled {
        region
            .reached()
            .iter()
            .copied()
            .filter(|s| {
                sit.shipyard[s.index()]
                    && sit.owners[s.index()].is_some_and(|o| d.friendly(o, faction))
            })
            .collect()
    } else {
        Vec::new()
    };
    scratch
        .home
        .search(g, friendly_yards, HORIZON, |s| region.distance(s).is_some());
    let home = &scratch.home;
    scratch.hostile.fill(
        g.sector_count(),
        hostile_near.iter().map(|t| (t.at, t.strength)),
    );
    let hostile_at = &scratch.hostile;
    let (hostile, mine) = (Placed::new(g, &hostile_near), Placed::new(g, &my_fleets));
    let strength_near = |fleets: &Placed, sector: SectorId, radius: u32| {
        fleets.strength_within(g.hex_of(sector), radius)
    };

    // Key sectors under threat: own shipyards and the capital with more hostile strength near
    // them than own strength on them; with a doctrine of aid, an ally's too, within the
    // region, counting the ally's fleets as their guard.
    let mut threatened: Vec<(SectorId, u64)> = key_sectors
        .iter()
        .filter_map(|&s| {
            let threat = strength_near(&hostile, s, 2);
            let guard = strength_near(&mine, s, 1);
            (threat > guard).then(|| (s, threat - guard))
        })
        .collect();
    if doctrine.aid_allies {
        for &s in region.reached() {
            let Some(owner) = sit.owners[s.index()] else {
                continue;
            };
            let key = sit.shipyard[s.index()] || sit.capital[owner.index()] == Some(s);
            if owner == faction || !key || !d.friendly(faction, owner) {
                continue;
            }
            let threat = strength_near(&hostile, s, 2);
            if threat == 0 {
                continue;
            }
            let guard: u64 = std::iter::once(s)
                .chain(g.exits(s))
                .flat_map(|n| sit.fleets_at(n))
                .filter(|f| f.side.owner == owner || f.side.owner == faction)
                .map(|f| u64::from(f.strength))
                .sum();
            if threat > guard {
                threatened.push((s, threat - guard));
            }
        }
    }

    // The weaker hostile fleet a fleet would strike this turn, if one is in reach.
    let prey_of = |f: &FleetInfo| {
        let speed = u32::from(f.speed);
        hostile
            .within(g.hex_of(f.at), speed)
            .filter(|t| {
                d.fleets_hostile(f.side, t.side, g.block_of(t.at))
                    && u64::from(t.strength) * 10 < u64::from(f.strength) * doctrine.strike_tenths
            })
            .min_by_key(|t| (t.strength, t.id))
            .filter(|t| g.route_within(f.at, t.at, speed).is_some())
    };
    // A fleet free to escort: sound, able to move, and with nothing more pressing where it
    // is - no joint strike, no sector of the scenario's to see through, no threatened key
    // sector in reach to defend, no weaker enemy in reach to strike.
    let free = |f: &FleetInfo| {
        let speed = u32::from(f.speed);
        f.strength >= CRIPPLED
            && speed > 0
            && taken.binary_search(&f.id).is_err()
            && !goal(f.at)
            && !threatened
                .iter()
                .any(|&(s, need)| need > 0 && g.grid_distance(f.at, s) <= speed + 1)
            && prey_of(f).is_none()
    };
    // Crippled fleets go home, if a friendly shipyard is near enough. One that will stop this
    // turn within a step of hostile fleets gets an escort: the nearest free fleet that can be
    // there this turn and, with it, would not be much weaker than they are. (Each fleet's
    // order is handed out in its turn below, so the orders keep the fleets' order.)
    let mut set: BTreeMap<FleetId, Option<Order>> = BTreeMap::new();
    // Whether each fleet is free, worked out once the first time it is asked (nothing it
    // depends on changes while escorts are handed out): each crippled fleet weighs every
    // fleet of its faction, and each answer goes through the hostile fleets around.
    let mut is_free: Vec<Option<bool>> = vec![None; my_fleets.len()];
    for f in my_fleets.iter().copied().filter(|f| f.strength < CRIPPLED) {
        if taken.binary_search(&f.id).is_ok() {
            continue;
        }
        let route = descend(home, g, f.at, u32::MAX, |_| true);
        let Some(&stop) = route.get(usize::from(f.speed).min(route.len()).wrapping_sub(1)) else {
            continue;
        };
        set.insert(f.id, Some(Order::Move { fleet: f.id, route }));
        let danger = strength_near(&hostile, stop, 1);
        if !doctrine.escort || danger == 0 {
            continue;
        }
        let escort = my_fleets
            .iter()
            .copied()
            .zip(&mut is_free)
            .filter_map(|(e, known)| {
                (!set.contains_key(&e.id)
                    && (u64::from(e.strength) + u64::from(f.strength)) * doctrine.advance_percent
                        >= danger * 100
                    && *known.get_or_insert_with(|| free(e)))
                .then_some(e)
            })
            .filter_map(|e| {
                g.route_within(e.at, stop, u32::from(e.speed))
                    .map(|route| (e, route))
            })
            .min_by_key(|(e, route)| (route.len(), e.id));
        if let Some((e, route)) = escort {
            let order = if !route.is_empty() {
                Some(Order::Move { fleet: e.id, route })
            } else {
                (!e.holding).then_some(Order::Hold { fleet: e.id })
            };
            set.insert(e.id, order);
        }
    }

    for f in my_fleets.iter().copied() {
        // A fleet its joint command sends into a strike has its order.
        if taken.binary_search(&f.id).is_ok() {
            continue;
        }
        // So has a crippled fleet on its way home, and its escort.
        if let Some(order) = set.remove(&f.id) {
            out.extend(order);
            continue;
        }
        let speed = u32::from(f.speed);
        if speed == 0 {
            continue;
        }
        // On a sector the scenario asks for, not yet taken: stay and see it through.
        if goal(f.at) {
            if !f.holding {
                out.push(Order::Hold { fleet: f.id });
            }
            continue;
        }
        // Outmatched where it stands: fall back toward a friendly shipyard, if one is near -
        // unless it stands on a sector it holds for its own sake or the scenario's.
        if let Some(tenths) = doctrine.retreat_tenths
            && !key_sectors.contains(&f.at)
            && goals.binary_search(&f.at).is_err()
        {
            let threat = strength_near(&hostile, f.at, 1);
            let side: u64 = std::iter::once(f.at)
                .chain(g.exits(f.at))
                .flat_map(|s| sit.fleets_at(s))
                .filter(|t| d.fleets_friendly(f.side, t.side))
                .map(|t| u64::from(t.strength))
                .sum();
            if threat * 10 > side * tenths {
                let route = descend(home, g, f.at, speed, |next| hostile_at.at(next) == 0);
                if !route.is_empty() {
                    out.push(Order::Move { fleet: f.id, route });
                    continue;
                }
            }
        }
        // Defend a threatened key sector: stay on one, or go to the nearest in reach.
        let defend = threatened
            .iter()
            .enumerate()
            .filter(|(_, (s, need))| *need > 0 && g.grid_distance(f.at, *s) <= speed + 1)
            .min_by_key(|(_, (s, need))| (g.grid_distance(f.at, *s), std::cmp::Reverse(*need), *s))
            .map(|(k, _)| k);
        if let Some(k) = defend {
            let (s, need) = threatened[k];
            if f.at == s {
                if !f.holding {
                    out.push(Order::Hold { fleet: f.id });
                }
            } else if let Ok(mut route) = g.route(f.at, s) {
                route.truncate(speed as usize);
                out.push(Order::Move { fleet: f.id, route });
            }
            threatened[k].1 = need.saturating_sub(u64::from(f.strength));
            continue;
        }
        // Strike a weaker hostile fleet within reach this turn.
        if let Some(t) = prey_of(f) {
            out.push(Order::Attack {
                fleet: f.id,
                target: t.id,
            });
            continue;
        }
        // Advance down the distance field, stopping short of a much stronger enemy.
        // A concentrating fleet enters a fight only with the friends around it stronger than
        // the enemies around the sector it enters; else it waits for them.
        let group = if doctrine.concentrate {
            strength_near(&mine, f.at, 1)
        } else {
            u64::from(f.strength)
        };
        // A fleet that joins its friends' fight counts them beside itself: those there, and
        // those an ally planned before it has sent there this turn.
        let beside = |next: SectorId| -> u64 {
            if !doctrine.join_friends || hostile_at.at(next) == 0 {
                return 0;
            }
            let there: u64 = sit
                .fleets_at(next)
                .filter(|t| t.id != f.id && d.fleets_friendly(f.side, t.side))
                .map(|t| u64::from(t.strength))
                .sum();
            let coming: u64 = incoming
                .to(next)
                .filter(|(side, _)| side.owner != faction && d.fleets_friendly(f.side, *side))
                .map(|(_, strength)| u64::from(strength))
                .sum();
            there + coming
        };
        let route = descend(toward, g, f.at, speed, |next| {
            hostile_at.at(next) * 100
                <= (u64::from(f.strength) + beside(next)) * doctrine.advance_percent
                && (!doctrine.concentrate || strength_near(&hostile, next, 1) <= group)
        });
        if !route.is_empty() {
            out.push(Order::Move { fleet: f.id, route });
        } else if !f.holding {
            out.push(Order::Hold { fleet: f.id });
        }
    }

    // Build where the need is greatest: a threatened shipyard, else the capital, else any.
    let rules = &view.rules;
    let upkeep =
        sit.strength[faction.index()] as i64 / i64::from(rules.upkeep_strength_per_industry.max(1));
    let at_war = usize::from(at_war().next().is_some());
    let spare = sit.treasury[faction.index()] - doctrine.reserve[at_war] * upkeep;
    let strength =
        (spare / i64::from(rules.ship_cost.max(1))).min(i64::from(rules.shipyard_capacity));
    if strength >= 5 {
        let yard = threatened
            .iter()
            .map(|t| t.0)
            .chain(sit.capital[faction.index()])
            .chain(key_sectors.iter().copied())
            .find(|&s| {
                sit.shipyard[s.index()]
                    && sit.owners[s.index()] == Some(faction)
                    && hostile_at.at(s) == 0
            });
        if let Some(sector) = yard {
            out.push(Order::Build {
                sector,
                strength: strength as u32,
            });
        }
    }
    out
}

/// The route down a field from `from` toward its nearest source, at most `steps` long,
/// stopping before the first sector `enter` refuses. Among equal steps it takes the first in
/// the map's fixed neighbour order.
fn descend(
    field: &Field,
    g: &Galaxy,
    from: SectorId,
    steps: u32,
    enter: impl Fn(SectorId) -> bool,
) -> Vec<SectorId> {
    let mut route = Vec::new();
    let mut at = from;
    while (route.len() as u32) < steps {
        let want = match field.distance(at) {
            Some(d) if d > 0 => d - 1,
            _ => break,
        };
        let Some(next) = g.exits(at).find(|&s| field.distance(s) == Some(want)) else {
            break;
        };
        if !enter(next) {
            break;
        }
        route.push(next);
        at = next;
    }
    route
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_sums_each_sector_and_forgets_the_last_fill() {
        let s = SectorId;
        let mut p = Presence::default();
        p.fill(200, [(s(130), 5), (s(3), 7), (s(130), 4), (s(64), 1)]);
        assert_eq!(p.at(s(130)), 9, "two fleets in one sector add up");
        assert_eq!(p.at(s(3)), 7);
        assert_eq!(p.at(s(64)), 1);
        assert_eq!(p.at(s(65)), 0, "a sector beside one with fleets has none");
        assert_eq!(p.at(s(131)), 0);
        assert_eq!(p.at(s(500)), 0, "a sector off the map has none");
        p.fill(200, [(s(65), 2), (s(0), u32::MAX), (s(0), u32::MAX)]);
        assert_eq!(p.at(s(130)), 0, "the last fill is forgotten");
        assert_eq!(p.at(s(64)), 0, "even in a word the new fill also writes");
        assert_eq!(p.at(s(65)), 2);
        assert_eq!(p.at(s(0)), 2 * u64::from(u32::MAX), "sums do not wrap");
        p.fill(70, []);
        assert_eq!(p.at(s(65)), 0, "a map of another size starts afresh");
    }
}
