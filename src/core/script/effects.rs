//! Carrying out scripted effects on the world. Diplomatic effects go through the same code as
//! the orders that do the same (a scripted declaration of war breaks treaties like any other);
//! an effect that cannot apply is skipped and the log says why.

use bevy::prelude::*;

use super::{Effect, FleetSpawn, Place, Script, ScriptClause};
use crate::core::calendar::Calendar;
use crate::core::character::{CharacterIndex, Fate};
use crate::core::diplomacy::{Clause, Diplomacy, JointCommand, OpinionCause, Stance, carry_out};
use crate::core::events::{Decision, GameEvent, Outcome, ScriptFault};
use crate::core::faction::{Defeated, Faction, FactionIndex};
use crate::core::fleet::{
    Commander, Fleet, FleetName, Location, NextFleetId, Speed, Strength, Task,
};
use crate::core::galaxy::Galaxy;
use crate::core::ids::{AllianceId, FactionId, FleetId, SectorId};
use crate::core::orders::Order;
use crate::core::rules::Rules;
use crate::core::scenario::ScenarioInfo;
use crate::core::sector::{Industry, Occupation, Owner, Sector, SectorIndex, Shipyard};

/// Opinion every other faction loses toward the parties of a revealed secret pact.
const PACT_OPINION: i32 = -15;

fn alliance_by_key(world: &World, key: &str) -> Result<AllianceId, ScriptFault> {
    world
        .resource::<Diplomacy>()
        .alliances
        .iter()
        .position(|a| a.key == key && a.dissolved.is_none())
        .map(AllianceId::from_index)
        .ok_or_else(|| ScriptFault::NoSuchAlliance(key.to_owned()))
}

fn fleet_by_key(world: &mut World, key: &str) -> Option<(Entity, FleetId)> {
    let mut fleets = world.query::<(Entity, &Fleet, &FleetName)>();
    fleets
        .iter(world)
        .filter(|(_, _, n)| n.key == key)
        .map(|(e, f, _)| (e, f.id))
        .min_by_key(|x| x.1)
}

fn defeated(world: &mut World) -> Vec<bool> {
    let n = world.resource::<FactionIndex>().len();
    let mut out = vec![false; n];
    let mut q = world.query::<(&Faction, Has<Defeated>)>();
    for (f, d) in q.iter(world) {
        out[f.id.index()] = d;
    }
    out
}

fn name_of(world: &World, faction: FactionId) -> String {
    let e = world.resource::<FactionIndex>().entity(faction);
    world
        .get::<Faction>(e)
        .map_or_else(String::new, |f| f.name.clone())
}

/// A diplomatic order carried out on a faction's behalf.
fn as_order(
    world: &mut World,
    faction: FactionId,
    order: Order,
    out: &mut Vec<GameEvent>,
) -> Result<(), ScriptFault> {
    let defeated = defeated(world);
    let turn = world.resource::<Calendar>().turn;
    let rules = world.resource::<Rules>().clone();
    let mut diplomacy = world.resource_mut::<Diplomacy>();
    carry_out(
        &mut diplomacy,
        &rules,
        &defeated,
        turn,
        faction,
        &order,
        out,
    )
    .map_err(ScriptFault::Refused)
}

/// Signs a treaty if it can apply.
fn sign(
    world: &mut World,
    name: String,
    mut signatories: Vec<FactionId>,
    clauses: Vec<Clause>,
    out: &mut Vec<GameEvent>,
) -> Result<(), ScriptFault> {
    signatories.sort_unstable();
    signatories.dedup();
    let turn = world.resource::<Calendar>().turn;
    let mut diplomacy = world.resource_mut::<Diplomacy>();
    let (first, rest) = signatories.split_first().ok_or(ScriptFault::Invalid(vec![
        crate::core::diplomacy::RefusalReason::NoAddressee,
    ]))?;
    let reasons = diplomacy.check_proposal(*first, rest, &clauses);
    if !reasons.is_empty() {
        return Err(ScriptFault::Invalid(reasons));
    }
    diplomacy.sign(name, signatories, clauses, turn, out);
    Ok(())
}

/// Carries out one effect of the event `event`, appending what happened to `out`.
pub(super) fn apply(world: &mut World, event: &str, effect: &Effect, out: &mut Vec<GameEvent>) {
    if let Err(reason) = try_apply(world, event, effect, out) {
        out.push(GameEvent::EffectSkipped {
            event: event.to_owned(),
            reason,
        });
    }
}

fn try_apply(
    world: &mut World,
    event: &str,
    effect: &Effect,
    out: &mut Vec<GameEvent>,
) -> Result<(), ScriptFault> {
    let turn = world.resource::<Calendar>().turn;
    match effect {
        Effect::Message { text, source } => {
            out.push(GameEvent::Message {
                event: event.to_owned(),
                text: text.clone(),
                source: source.clone(),
            });
        }
        Effect::DeclareWar(by, on) => as_order(
            world,
            *by,
            Order::DeclareWar {
                on: *on,
                why: Vec::new(),
            },
            out,
        )?,
        Effect::MakePeace(a, b) => {
            let name = format!("Peace of {} and {}", name_of(world, *a), name_of(world, *b));
            sign(world, name, vec![*a, *b], vec![Clause::EndWar], out)?;
        }
        Effect::CeaseFire(a, b, blocks) => {
            let name = format!(
                "Cease-fire of {} and {}",
                name_of(world, *a),
                name_of(world, *b)
            );
            sign(
                world,
                name,
                vec![*a, *b],
                vec![Clause::CeaseFire {
                    blocks: blocks.clone(),
                }],
                out,
            )?;
        }
        Effect::EndCeaseFire(a, b, blocks) => {
            as_order(
                world,
                *a,
                Order::EndCeaseFire {
                    with: *b,
                    blocks: blocks.clone(),
                    why: Vec::new(),
                },
                out,
            )?;
        }
        Effect::SignTreaty {
            name,
            signatories,
            clauses,
        } => {
            let mut terms = Vec::new();
            for c in clauses {
                terms.push(match c {
                    ScriptClause::EndWar => Clause::EndWar,
                    ScriptClause::Truce => Clause::Truce,
                    ScriptClause::CeaseFire(blocks) => Clause::CeaseFire {
                        blocks: blocks.clone(),
                    },
                    ScriptClause::FormAlliance(key, name) => {
                        if alliance_by_key(world, key).is_ok() {
                            return Err(ScriptFault::AllianceExists(key.clone()));
                        }
                        Clause::FormAlliance {
                            key: key.clone(),
                            name: name.clone(),
                        }
                    }
                    ScriptClause::JoinAlliance(key) => Clause::JoinAlliance {
                        alliance: alliance_by_key(world, key)?,
                    },
                });
            }
            sign(world, name.clone(), signatories.clone(), terms, out)?;
        }
        Effect::FormAlliance { key, name, members } => {
            if alliance_by_key(world, key).is_ok() {
                return Err(ScriptFault::AllianceExists(key.clone()));
            }
            let mut diplomacy = world.resource_mut::<Diplomacy>();
            let alliance = diplomacy.form_alliance(key.clone(), name.clone(), members, false, turn);
            let members = diplomacy.alliances[alliance.index()].members.clone();
            out.push(GameEvent::AllianceFormed {
                alliance,
                name: name.clone(),
                members,
            });
        }
        Effect::RenameAlliance { alliance, name } => {
            let id = alliance_by_key(world, alliance)?;
            let mut diplomacy = world.resource_mut::<Diplomacy>();
            let from = std::mem::replace(&mut diplomacy.alliances[id.index()].name, name.clone());
            out.push(GameEvent::AllianceRenamed {
                alliance: id,
                from,
                to: name.clone(),
            });
        }
        Effect::Admit { alliance, faction } => {
            let id = alliance_by_key(world, alliance)?;
            let mut diplomacy = world.resource_mut::<Diplomacy>();
            // A new member makes peace with every member it was fighting.
            for m in diplomacy.alliances[id.index()].members.clone() {
                if matches!(
                    diplomacy.stance(m, *faction),
                    Stance::War | Stance::CeaseFire
                ) {
                    diplomacy.set_stance(m, *faction, Stance::Peace, turn);
                }
            }
            if diplomacy.join_alliance(id, *faction, turn) {
                out.push(GameEvent::AllianceJoined {
                    alliance: id,
                    faction: *faction,
                });
            }
        }
        Effect::Expel { alliance, faction } => {
            let id = alliance_by_key(world, alliance)?;
            if world
                .resource_mut::<Diplomacy>()
                .leave_alliance(id, *faction, turn)
            {
                out.push(GameEvent::AllianceExpelled {
                    alliance: id,
                    faction: *faction,
                });
            }
        }
        Effect::SetChair { alliance, chair } => {
            let id = alliance_by_key(world, alliance)?;
            world.resource_mut::<Diplomacy>().alliances[id.index()].chair = *chair;
            out.push(GameEvent::AllianceChairSet {
                alliance: id,
                chair: *chair,
            });
        }
        Effect::SetHq { alliance, hq } => {
            let id = alliance_by_key(world, alliance)?;
            world.resource_mut::<Diplomacy>().alliances[id.index()].hq = *hq;
            out.push(GameEvent::AllianceHqSet {
                alliance: id,
                hq: *hq,
            });
        }
        Effect::FormJointCommand {
            alliance,
            key,
            name,
            members,
            commander,
        } => {
            let id = alliance_by_key(world, alliance)?;
            world.resource_mut::<Diplomacy>().alliances[id.index()]
                .commands
                .push(JointCommand {
                    key: key.clone(),
                    name: name.clone(),
                    members: members.clone(),
                    commander: *commander,
                });
            out.push(GameEvent::JointCommandFormed {
                alliance: id,
                name: name.clone(),
            });
        }
        Effect::RevealPact(index) => {
            let mut script = world.resource_mut::<Script>();
            let pact = &mut script.pacts[*index];
            if pact.revealed.is_some() {
                return Ok(());
            }
            pact.revealed = Some(turn);
            let pact = pact.clone();
            let n = world.resource::<FactionIndex>().len();
            let mut diplomacy = world.resource_mut::<Diplomacy>();
            for holder in (0..n)
                .map(FactionId::from_index)
                .filter(|f| !pact.factions.contains(f))
            {
                for &party in &pact.factions {
                    diplomacy.add_opinion(holder, party, OpinionCause::SecretPact, PACT_OPINION);
                }
            }
            out.push(GameEvent::PactRevealed {
                pact: pact.key,
                name: pact.name,
                factions: pact.factions,
                characters: pact.characters,
                terms: pact.terms,
            });
        }
        Effect::SetLink(link, open) => {
            if world.resource_mut::<Galaxy>().set_link_open(*link, *open) {
                out.push(GameEvent::LinkChanged {
                    link: *link,
                    open: *open,
                });
            }
        }
        Effect::SpawnFleet(spawn) => spawn_fleet(world, spawn, out)?,
        Effect::MoveFleet(key, sector) => {
            let (entity, id) =
                fleet_by_key(world, key).ok_or_else(|| ScriptFault::NoSuchFleet(key.clone()))?;
            let from = world.get::<Location>(entity).map_or(*sector, |l| l.0);
            world
                .entity_mut(entity)
                .insert((Location(*sector), Task::Hold));
            out.push(GameEvent::FleetRelocated {
                fleet: id,
                from,
                to: *sector,
            });
        }
        Effect::DriveOut { faction, from, to } => {
            let galaxy = world.resource::<Galaxy>().clone();
            let inside = |s: SectorId| match from {
                Place::Sector(x) => *x == s,
                Place::Block(b) => galaxy.block_of(s) == *b,
            };
            let mut q = world.query::<(Entity, &Fleet, &Location)>();
            let mut leaving: Vec<(FleetId, Entity, SectorId)> = q
                .iter(world)
                .filter(|(_, f, l)| f.owner == *faction && inside(l.0) && l.0 != *to)
                .map(|(e, f, l)| (f.id, e, l.0))
                .collect();
            leaving.sort_unstable_by_key(|l| l.0);
            let mut q = world.query::<(Entity, &Sector, &Occupation)>();
            let mut freed: Vec<(SectorId, Entity)> = q
                .iter(world)
                .filter(|(_, s, o)| o.by == *faction && inside(s.0))
                .map(|(e, s, _)| (s.0, e))
                .collect();
            freed.sort_unstable_by_key(|f| f.0);
            for (id, entity, from) in leaving {
                world.entity_mut(entity).insert((Location(*to), Task::Hold));
                out.push(GameEvent::FleetRelocated {
                    fleet: id,
                    from,
                    to: *to,
                });
            }
            for (sector, entity) in freed {
                world.entity_mut(entity).remove::<Occupation>();
                out.push(GameEvent::OccupationEnded {
                    sector,
                    by: *faction,
                });
            }
        }
        Effect::DestroyFleet(key) => {
            let (entity, id) =
                fleet_by_key(world, key).ok_or_else(|| ScriptFault::NoSuchFleet(key.clone()))?;
            let owner = world
                .get::<Fleet>(entity)
                .map(|f| f.owner)
                .expect("a fleet has its component");
            let sector = world
                .get::<Location>(entity)
                .map(|l| l.0)
                .expect("a fleet has a location");
            world.despawn(entity);
            out.push(GameEvent::FleetDestroyed {
                fleet: id,
                owner,
                sector,
            });
        }
        Effect::TransferSector(sector, to) => {
            let entity = world.resource::<SectorIndex>().entity(*sector);
            let mut e = world.entity_mut(entity);
            let from = e.get::<Owner>().and_then(|o| o.0);
            // To its own owner, with no one occupying it: nothing changes, nothing to tell.
            if from == *to && !e.contains::<Occupation>() {
                return Ok(());
            }
            e.insert(Owner(*to));
            e.remove::<Occupation>();
            out.push(GameEvent::SectorTransferred {
                sector: *sector,
                to: *to,
                from,
            });
        }
        Effect::DestroyFacilities(sector) => {
            let entity = world.resource::<SectorIndex>().entity(*sector);
            world
                .entity_mut(entity)
                .remove::<Shipyard>()
                .insert(Industry(0));
            out.push(GameEvent::FacilitiesDestroyed { sector: *sector });
        }
        Effect::KillCharacter(character) => {
            let entity = world.resource::<CharacterIndex>().entity(*character);
            let mut fate = world
                .get_mut::<Fate>(entity)
                .expect("every character has a fate");
            if !fate.alive() {
                return Err(ScriptFault::AlreadyDead(*character));
            }
            fate.died = Some(turn);
            out.push(GameEvent::CharacterDied {
                character: *character,
            });
        }
        Effect::DeclareTraitor(character, by) => {
            let entity = world.resource::<CharacterIndex>().entity(*character);
            let mut fate = world
                .get_mut::<Fate>(entity)
                .expect("every character has a fate");
            fate.traitor_since = Some(turn);
            fate.traitor_to = *by;
            out.push(GameEvent::TraitorDeclared {
                character: *character,
                by: *by,
            });
        }
        Effect::ChangeOpinion { holder, of, value } => {
            world.resource_mut::<Diplomacy>().add_opinion(
                *holder,
                *of,
                OpinionCause::Scripted,
                *value,
            );
            out.push(GameEvent::OpinionChanged {
                holder: *holder,
                of: *of,
                delta: *value,
            });
        }
        Effect::SetFlag(flag) => {
            if world.resource_mut::<Script>().flags.insert(flag.clone()) {
                out.push(GameEvent::FlagSet { flag: flag.clone() });
            }
        }
        Effect::EndScenario { winners, text } => {
            let mut scenario = world.resource_mut::<ScenarioInfo>();
            if scenario.outcome.is_none() {
                let mut winners = winners.clone();
                winners.sort_unstable();
                winners.dedup();
                let outcome = Outcome {
                    winners,
                    decision: Decision::Scripted,
                    turn,
                    note: Some(text.clone()),
                };
                scenario.outcome = Some(outcome.clone());
                out.push(GameEvent::ScenarioEnded(outcome));
            }
        }
    }
    Ok(())
}

fn spawn_fleet(
    world: &mut World,
    spawn: &FleetSpawn,
    out: &mut Vec<GameEvent>,
) -> Result<(), ScriptFault> {
    if fleet_by_key(world, &spawn.key).is_some() {
        return Err(ScriptFault::FleetExists(spawn.key.clone()));
    }
    let mut next = world.resource_mut::<NextFleetId>();
    if next.0 >= crate::core::validate::MAX_FLEET_ID {
        return Err(ScriptFault::NoFleetIds);
    }
    let id = FleetId(next.0);
    next.0 += 1;
    let mut e = world.spawn((
        Fleet {
            id,
            owner: spawn.owner,
        },
        FleetName {
            key: spawn.key.clone(),
            name: spawn.name.clone(),
        },
        Strength(spawn.strength),
        Speed(spawn.speed),
        Location(spawn.sector),
        Task::Hold,
    ));
    if let Some(c) = spawn.commander {
        e.insert(Commander(c));
    }
    out.push(GameEvent::FleetSpawned {
        fleet: id,
        owner: spawn.owner,
        sector: spawn.sector,
        strength: spawn.strength,
    });
    Ok(())
}
