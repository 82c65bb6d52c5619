//! The events phase. In a stated order, every turn:
//!
//! 1. choices offered on earlier turns are settled, in the order they were offered: the
//!    faction's `Choose` order, or the scenario's rule for want of one;
//! 2. events whose delay runs out this turn fire, in the order they were triggered, if their
//!    condition still holds;
//! 3. rounds: every event (in file order) whose trigger matches what happened this turn —
//!    including what earlier rounds did — and whose condition holds fires, or starts its
//!    delay. Time triggers (turn, date) and strength triggers are looked at in the first round
//!    only. Rounds go on until one sets nothing off. Events that are not once-only can set
//!    each other off without end; after [`CHAIN_CAP`] firings in a turn the chain is cut and
//!    the log names the events that repeat.

use bevy::prelude::*;

use super::effects::apply;
use super::{CHAIN_CAP, Delayed, PendingChoice, Place, Script, Trigger};
use crate::core::calendar::Calendar;
use crate::core::character::{CharacterIndex, Fate};
use crate::core::diplomacy::{Diplomacy, Stance};
use crate::core::events::{GameEvent, TurnLog};
use crate::core::faction::{Defeated, Faction};
use crate::core::fleet::{Fleet, FleetName, Strength};
use crate::core::galaxy::Galaxy;
use crate::core::ids::{FactionId, SectorId};
use crate::core::orders::{Order, OrderRefusal, TurnOrders};
use crate::core::sector::{Occupation, Owner, Sector};
use crate::core::turn::{Turn, TurnSystems};

use super::Condition;

/// Adds the events phase.
pub(in crate::core) fn plugin(app: &mut App) {
    app.init_resource::<Script>()
        .init_resource::<Watched>()
        .add_systems(Turn, run_script.in_set(TurnSystems::Events));
}

/// The stances the script's relation triggers watch, as they stood when it last looked.
/// Rebuilt from the world at the end of every events phase and when a game starts, so it is
/// not part of the world's state.
#[derive(Resource, Default)]
pub(crate) struct Watched(Vec<(FactionId, FactionId, Stance)>);

impl Watched {
    fn look(script: &Script, diplomacy: &Diplomacy) -> Self {
        let mut pairs: Vec<(FactionId, FactionId, Stance)> = script
            .events
            .iter()
            .filter_map(|e| match e.trigger {
                Trigger::RelationBecomes { a, b, .. } => {
                    Some((a.min(b), a.max(b), diplomacy.stance(a, b)))
                }
                _ => None,
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        Self(pairs)
    }

    fn was(&self, a: FactionId, b: FactionId) -> Option<Stance> {
        self.0
            .iter()
            .find(|w| (w.0, w.1) == (a.min(b), a.max(b)))
            .map(|w| w.2)
    }
}

/// Takes the first look for the relation triggers of a world just installed.
pub(in crate::core) fn watch(world: &mut World) {
    let watched = Watched::look(world.resource::<Script>(), world.resource::<Diplomacy>());
    world.insert_resource(watched);
}

/// Everything a trigger or condition needs to read, gathered once per round.
struct Facts {
    /// Each sector's owner, when no other power occupies it.
    owners: Vec<Option<FactionId>>,
    strength: Vec<u64>,
    /// Living fleets' ids and strengths, sorted by id.
    fleets: Vec<(String, u32)>,
    defeated: Vec<bool>,
    alive: Vec<bool>,
}

impl Facts {
    fn read(world: &mut World) -> Self {
        let n_sectors = world.resource::<Galaxy>().sector_count();
        let n_factions = world.resource::<Diplomacy>().faction_count();
        // A sector occupied by another power is not held by its owner.
        let mut owners = vec![None; n_sectors];
        let mut q = world.query::<(&Sector, &Owner, Option<&Occupation>)>();
        for (s, o, occ) in q.iter(world) {
            owners[s.0.index()] = o.0.filter(|_| occ.is_none());
        }
        let mut strength = vec![0; n_factions];
        let mut fleets = Vec::new();
        let mut q = world.query::<(&Fleet, &FleetName, &Strength)>();
        for (f, n, s) in q.iter(world) {
            strength[f.owner.index()] += u64::from(s.0);
            fleets.push((n.key.clone(), s.0));
        }
        fleets.sort_unstable();
        let mut defeated = vec![false; n_factions];
        let mut q = world.query::<(&Faction, Has<Defeated>)>();
        for (f, d) in q.iter(world) {
            defeated[f.id.index()] = d;
        }
        let index = world.resource::<CharacterIndex>().0.clone();
        let alive = index
            .iter()
            .map(|&e| world.get::<Fate>(e).is_some_and(Fate::alive))
            .collect();
        Self {
            owners,
            strength,
            fleets,
            defeated,
            alive,
        }
    }

    /// The strength of the living fleet with this id.
    fn fleet_strength(&self, key: &str) -> Option<u32> {
        self.fleets
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| self.fleets[i].1)
    }

    fn holds(&self, galaxy: &Galaxy, faction: FactionId, place: Place) -> bool {
        match place {
            Place::Sector(s) => self.owners[s.index()] == Some(faction),
            Place::Block(b) => {
                let mut sectors = (0..self.owners.len())
                    .filter(|&i| galaxy.block_of(SectorId::from_index(i)) == b);
                sectors.all(|i| self.owners[i] == Some(faction))
            }
        }
    }
}

fn in_place(galaxy: &Galaxy, sector: SectorId, place: Place) -> bool {
    match place {
        Place::Sector(s) => s == sector,
        Place::Block(b) => galaxy.block_of(sector) == b,
    }
}

fn holds(condition: &Condition, world: &World, facts: &Facts, script: &Script, turn: u32) -> bool {
    let diplomacy = world.resource::<Diplomacy>();
    let galaxy = world.resource::<Galaxy>();
    match condition {
        Condition::All(list) => list.iter().all(|c| holds(c, world, facts, script, turn)),
        Condition::Any(list) => list.iter().any(|c| holds(c, world, facts, script, turn)),
        Condition::Not(c) => !holds(c, world, facts, script, turn),
        Condition::AtWar(a, b) => diplomacy.at_war(*a, *b),
        Condition::Stance(a, b, s) => diplomacy.stance(*a, *b) == *s,
        Condition::Holds(f, place) => facts.holds(galaxy, *f, *place),
        Condition::Alive(c) => facts.alive[c.index()],
        Condition::Defeated(f) => facts.defeated[f.index()],
        Condition::Flag(flag) => script.flags.contains(flag),
        Condition::Fired(e) => script.fired[*e].is_some(),
        Condition::StrengthAtLeast(f, v) => facts.strength[f.index()] >= *v,
        Condition::Member(f, key) => diplomacy
            .alliances
            .iter()
            .any(|a| a.key == *key && a.dissolved.is_none() && a.members.contains(f)),
        Condition::TurnAtLeast(t) => turn >= *t,
    }
}

/// Whether a trigger matches what happened (`fresh`: the happenings not yet looked at).
fn matches(
    trigger: &Trigger,
    world: &World,
    facts: &Facts,
    fresh: &[GameEvent],
    first_round: bool,
    watched: &Watched,
) -> bool {
    let calendar = world.resource::<Calendar>();
    let galaxy = world.resource::<Galaxy>();
    let diplomacy = world.resource::<Diplomacy>();
    let roll = &world.resource::<crate::core::fleet::FleetRoll>().0;
    let owner_of_fleet = |fleet| roll.get(&fleet).map(|r| r.owner);
    match trigger {
        Trigger::Turn(t) => first_round && calendar.turn == *t,
        Trigger::Date(d) => first_round && calendar.date() == *d,
        Trigger::StrengthBelow { faction, value } => {
            first_round && facts.strength[faction.index()] < *value
        }
        // A fleet not yet in being does not set it off; one destroyed does, in the round
        // that destroyed it.
        Trigger::FleetBelow { fleet, value } => match facts.fleet_strength(fleet) {
            Some(strength) => first_round && strength < *value,
            None => fresh.iter().any(|e| {
                matches!(e, GameEvent::FleetDestroyed { fleet: id, .. }
                    if roll.get(id).is_some_and(|r| r.key == *fleet))
            }),
        },
        Trigger::FleetEnters { faction, place } => fresh.iter().any(|e| {
            let (fleet, from, to) = match e {
                GameEvent::FleetMoved {
                    fleet, from, to, ..
                } => (*fleet, Some(*from), *to),
                GameEvent::FleetRelocated { fleet, from, to } => (*fleet, Some(*from), *to),
                GameEvent::FleetSpawned { fleet, sector, .. } => (*fleet, None, *sector),
                _ => return false,
            };
            in_place(galaxy, to, *place)
                && !from.is_some_and(|f| in_place(galaxy, f, *place))
                && owner_of_fleet(fleet) == Some(*faction)
        }),
        Trigger::ChangesHands { place, to } => fresh.iter().any(|e| {
            let (sector, new) = match e {
                GameEvent::SectorCaptured { sector, by, .. } => (*sector, Some(*by)),
                GameEvent::SectorTransferred { sector, to, .. } => (*sector, *to),
                _ => return false,
            };
            in_place(galaxy, sector, *place) && (to.is_none() || *to == new)
        }),
        Trigger::RelationBecomes { a, b, stance } => {
            diplomacy.stance(*a, *b) == *stance && watched.was(*a, *b) != Some(*stance)
        }
        Trigger::TreatySigned { name, party } => fresh.iter().any(|e| match e {
            GameEvent::TreatySigned {
                name: n,
                signatories,
                ..
            } => {
                name.as_ref().is_none_or(|x| x == n)
                    && party.is_none_or(|p| signatories.contains(&p))
            }
            _ => false,
        }),
        Trigger::TreatyBroken { name, by } => fresh.iter().any(|e| match e {
            GameEvent::TreatyBroken {
                treaty,
                by: breaker,
                ..
            } => {
                let n = &diplomacy.treaties[treaty.index()].name;
                name.as_ref().is_none_or(|x| x == n) && by.is_none_or(|b| b == *breaker)
            }
            _ => false,
        }),
        Trigger::EventFired(i) => {
            let key = &world.resource::<Script>().events[*i].key;
            fresh
                .iter()
                .any(|e| matches!(e, GameEvent::EventFired { event } if event == key))
        }
        Trigger::CharacterDies(c) => fresh
            .iter()
            .any(|e| matches!(e, GameEvent::CharacterDied { character } if character == c)),
    }
}

/// The events that repeat at the end of the firing log, for naming a loop.
fn repeating_tail(log: &[usize]) -> &[usize] {
    for period in 1..=log.len() / 2 {
        let n = log.len();
        if log[n - period..] == log[n - 2 * period..n - period] {
            return &log[n - period..];
        }
    }
    &log[log.len().saturating_sub(1)..]
}

fn run_script(world: &mut World) {
    let has_answers = world
        .resource::<TurnOrders>()
        .iter()
        .any(|(_, o)| matches!(o, Order::Choose { .. }));
    if world.resource::<Script>().events.is_empty() && !has_answers {
        return;
    }
    let turn = world.resource::<Calendar>().turn;
    let mut happenings: Vec<GameEvent> = world.resource::<TurnLog>().events().to_vec();
    let already = happenings.len();
    let mut fired_log: Vec<usize> = Vec::new();
    let mut out = Vec::new();

    settle_choices(world, turn, &mut out);
    let due: Vec<Delayed> = {
        let mut script = world.resource_mut::<Script>();
        let (due, waiting) = script.delayed.iter().partition(|d| d.due <= turn);
        script.delayed = waiting;
        due
    };
    for d in due {
        // A delayed event still needs its condition when its time comes.
        let condition = world.resource::<Script>().events[d.event].condition.clone();
        let facts = Facts::read(world);
        if condition.is_none_or(|c| holds(&c, world, &facts, world.resource::<Script>(), turn)) {
            fire(world, d.event, turn, &mut out);
            fired_log.push(d.event);
        }
    }
    happenings.append(&mut out);

    let mut fresh_from = 0;
    let mut first_round = true;
    'rounds: loop {
        let facts = Facts::read(world);
        let candidates: Vec<usize> = {
            let script = world.resource::<Script>();
            let watched = world.resource::<Watched>();
            (0..script.events.len())
                .filter(|&i| {
                    let e = &script.events[i];
                    !(e.once && script.fired[i].is_some())
                        && matches(
                            &e.trigger,
                            world,
                            &facts,
                            &happenings[fresh_from..],
                            first_round,
                            watched,
                        )
                })
                .collect()
        };
        let next_fresh = happenings.len();
        // The relation triggers compare with the stances as they were before this round.
        let looked = Watched::look(world.resource::<Script>(), world.resource::<Diplomacy>());
        world.insert_resource(looked);
        if candidates.is_empty() {
            break;
        }
        let mut fired_any = false;
        for i in candidates {
            let (condition, delay, once) = {
                let e = &world.resource::<Script>().events[i];
                (e.condition.clone(), e.delay, e.once)
            };
            let facts = Facts::read(world);
            let ok = condition
                .as_ref()
                .is_none_or(|c| holds(c, world, &facts, world.resource::<Script>(), turn));
            if !ok || (once && world.resource::<Script>().fired[i].is_some()) {
                continue;
            }
            if delay > 0 {
                let mut script = world.resource_mut::<Script>();
                if !script.delayed.iter().any(|d| d.event == i) {
                    script.delayed.push(Delayed {
                        event: i,
                        due: turn + delay,
                    });
                }
                continue;
            }
            fire(world, i, turn, &mut out);
            happenings.append(&mut out);
            fired_log.push(i);
            fired_any = true;
            if fired_log.len() >= CHAIN_CAP {
                let script = world.resource::<Script>();
                let chain = repeating_tail(&fired_log)
                    .iter()
                    .map(|&e| script.events[e].key.clone())
                    .collect();
                happenings.push(GameEvent::EventChainCut { chain });
                break 'rounds;
            }
        }
        if !fired_any {
            break;
        }
        fresh_from = next_fresh;
        first_round = false;
    }
    let looked = Watched::look(world.resource::<Script>(), world.resource::<Diplomacy>());
    world.insert_resource(looked);
    world
        .resource_mut::<TurnLog>()
        .write_batch(happenings.drain(already..));
}

/// Fires one event: its effects in order, then its choice, if any.
fn fire(world: &mut World, index: usize, turn: u32, out: &mut Vec<GameEvent>) {
    let event = {
        let mut script = world.resource_mut::<Script>();
        script.fired[index] = Some(turn);
        script.events[index].clone()
    };
    out.push(GameEvent::EventFired {
        event: event.key.clone(),
    });
    for effect in &event.effects {
        apply(world, &event.key, effect, out);
    }
    if let Some(choice) = &event.choice {
        world.resource_mut::<Script>().choices.push(PendingChoice {
            event: index,
            offered: turn,
        });
        out.push(GameEvent::ChoiceOffered {
            event: event.key.clone(),
            faction: choice.faction,
            prompt: choice.prompt.clone(),
            options: choice
                .options
                .iter()
                .map(|o| (o.key.clone(), o.text.clone()))
                .collect(),
        });
    }
}

/// Settles the choices offered before this turn, and refuses `Choose` orders that answer
/// nothing.
fn settle_choices(world: &mut World, turn: u32, out: &mut Vec<GameEvent>) {
    let answers: Vec<(FactionId, String, String)> = world
        .resource::<TurnOrders>()
        .iter()
        .filter_map(|(f, o)| match o {
            Order::Choose { event, option } => Some((f, event.clone(), option.clone())),
            _ => None,
        })
        .collect();
    let pending: Vec<PendingChoice> = {
        let mut script = world.resource_mut::<Script>();
        let (ready, later) = script.choices.iter().partition(|c| c.offered < turn);
        script.choices = later;
        ready
    };
    let mut used = vec![false; answers.len()];
    for p in pending {
        let event = world.resource::<Script>().events[p.event].clone();
        let Some(choice) = &event.choice else {
            continue;
        };
        let answer = answers
            .iter()
            .enumerate()
            .find(|(k, (f, e, _))| !used[*k] && *f == choice.faction && *e == event.key);
        let (picked, by_rule) = match answer {
            Some((k, (f, _, option))) => {
                used[k] = true;
                match choice.options.iter().position(|o| o.key == *option) {
                    Some(i) => (i, false),
                    None => {
                        out.push(GameEvent::OrderRefused {
                            faction: *f,
                            order: Order::Choose {
                                event: event.key.clone(),
                                option: option.clone(),
                            },
                            reason: OrderRefusal::NoSuchOption(option.clone()),
                        });
                        (choice.ai_picks, true)
                    }
                }
            }
            None => (choice.ai_picks, true),
        };
        let option = &choice.options[picked];
        out.push(GameEvent::ChoiceMade {
            event: event.key.clone(),
            faction: choice.faction,
            option: option.key.clone(),
            by_rule,
        });
        for effect in &option.effects {
            apply(world, &event.key, effect, out);
        }
    }
    for (k, (f, e, option)) in answers.into_iter().enumerate() {
        if !used[k] {
            out.push(GameEvent::OrderRefused {
                faction: f,
                order: Order::Choose {
                    event: e.clone(),
                    option,
                },
                reason: OrderRefusal::NoSuchChoice(e),
            });
        }
    }
}
