//! The diplomacy phase: opinions decay and refresh, then every diplomatic order of the turn
//! is checked and carried out in faction order, then proposals with all their answers are
//! signed or refused.

use bevy::prelude::*;

use super::{Answer, Clause, Diplomacy, OpinionCause, RefusalReason, Stance};
use crate::core::calendar::Calendar;
use crate::core::events::{GameEvent, TurnLog};
use crate::core::faction::{Defeated, Faction};
use crate::core::ids::{FactionId, TreatyId};
use crate::core::orders::{Order, OrderRefusal, TurnOrders};
use crate::core::rules::Rules;
use crate::core::turn::{Turn, TurnSystems};

/// Adds the diplomacy phase's systems.
pub(in crate::core) fn plugin(app: &mut App) {
    app.add_systems(
        Turn,
        (
            refresh_opinions,
            carry_out_diplomatic_orders,
            settle_proposals,
        )
            .chain()
            .in_set(TurnSystems::Diplomacy),
    );
}

/// Opinions drift back toward neutral; factions fighting a common enemy warm to each other.
fn refresh_opinions(mut diplomacy: ResMut<Diplomacy>, rules: Res<Rules>) {
    diplomacy.decay_opinions(rules.opinion_decay);
    // The pairs with a common enemy, found from each faction's enemies (themselves found
    // from the pairs ever set): what this costs is the wars (a faction's enemies, pair by
    // pair), not every pair of factions with every third.
    let enemies = diplomacy.all_enemies();
    let mut pairs: Vec<(FactionId, FactionId)> = Vec::new();
    for list in &enemies {
        for (i, &a) in list.iter().enumerate() {
            pairs.extend(
                list[i + 1..]
                    .iter()
                    .filter(|&&b| !diplomacy.at_war(a, b))
                    .map(|&b| (a, b)),
            );
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    for (a, b) in pairs {
        diplomacy.refresh_opinion(a, b, OpinionCause::CommonEnemy, rules.common_enemy_opinion);
        diplomacy.refresh_opinion(b, a, OpinionCause::CommonEnemy, rules.common_enemy_opinion);
    }
}

fn carry_out_diplomatic_orders(
    orders: Res<TurnOrders>,
    mut diplomacy: ResMut<Diplomacy>,
    rules: Res<Rules>,
    calendar: Res<Calendar>,
    factions: Query<(&Faction, Has<Defeated>)>,
    mut log: ResMut<TurnLog>,
) {
    let mut defeated = vec![false; diplomacy.faction_count()];
    for (f, d) in &factions {
        defeated[f.id.index()] = d;
    }
    let turn = calendar.turn;
    let mut out = Vec::new();
    for (faction, order) in orders.iter().filter(|(_, o)| o.is_diplomatic()) {
        let result = if defeated[faction.index()] {
            Err(OrderRefusal::Defeated)
        } else {
            carry_out(
                &mut diplomacy,
                &rules,
                &defeated,
                turn,
                faction,
                order,
                &mut out,
            )
        };
        if let Err(reason) = result {
            out.push(GameEvent::OrderRefused {
                faction,
                order: order.clone(),
                reason,
            });
        }
    }
    log.write_batch(out);
}

/// Checks one diplomatic order and carries it out, reporting what changed; scripted events
/// use it too, so a declaration of war means the same whoever makes it.
pub(in crate::core) fn carry_out(
    diplomacy: &mut Diplomacy,
    rules: &Rules,
    defeated: &[bool],
    turn: u32,
    faction: FactionId,
    order: &Order,
    out: &mut Vec<GameEvent>,
) -> Result<(), OrderRefusal> {
    let known = |f: FactionId| {
        if f.index() < defeated.len() {
            Ok(())
        } else {
            Err(OrderRefusal::NoSuchFaction(f))
        }
    };
    match order {
        Order::DeclareWar { on, why } => {
            known(*on)?;
            if *on == faction {
                return Err(OrderRefusal::ItsYou);
            }
            match diplomacy.stance(faction, *on) {
                Stance::War => return Err(OrderRefusal::AlreadyAtWar(*on)),
                Stance::Alliance => return Err(OrderRefusal::Allied(*on)),
                Stance::Peace | Stance::CeaseFire => {}
            }
            let broken: Vec<TreatyId> = diplomacy
                .treaties_between(faction, *on)
                .filter(|t| {
                    diplomacy.treaties[t.index()].clauses.iter().any(|c| {
                        matches!(c, Clause::EndWar | Clause::Truce | Clause::CeaseFire { .. })
                    })
                })
                .collect();
            diplomacy.set_stance(faction, *on, Stance::War, turn);
            diplomacy.add_opinion(
                *on,
                faction,
                OpinionCause::WarDeclared,
                rules.war_declared_opinion,
            );
            out.push(GameEvent::WarDeclared {
                by: faction,
                on: *on,
                why: why.clone(),
            });
            diplomacy.break_treaties(&broken, faction, *on, turn, rules, out);
            Ok(())
        }
        Order::EndCeaseFire { with, blocks, why } => {
            known(*with)?;
            if *with == faction {
                return Err(OrderRefusal::ItsYou);
            }
            let rel = diplomacy.relation(faction, *with).clone();
            let ended: Vec<_> = match rel.stance {
                // A general truce ends as a whole, whatever blocks are named.
                Stance::CeaseFire => {
                    diplomacy.set_stance(faction, *with, Stance::War, turn);
                    Vec::new()
                }
                Stance::War => {
                    if let Some(&block) = blocks
                        .iter()
                        .find(|b| rel.ceasefire_blocks.binary_search(b).is_err())
                    {
                        return Err(OrderRefusal::NoCeaseFireIn { with: *with, block });
                    }
                    if blocks.is_empty() {
                        return Err(OrderRefusal::NoBlocksNamed);
                    }
                    diplomacy.remove_ceasefire_blocks(faction, *with, blocks)
                }
                _ => return Err(OrderRefusal::NotAtWar(*with)),
            };
            let broken: Vec<TreatyId> = diplomacy
                .treaties_between(faction, *with)
                .filter(|t| {
                    diplomacy.treaties[t.index()]
                        .clauses
                        .iter()
                        .any(|c| match c {
                            Clause::Truce => rel.stance == Stance::CeaseFire,
                            Clause::CeaseFire { blocks: agreed } => {
                                agreed.iter().any(|b| ended.contains(b))
                            }
                            _ => false,
                        })
                })
                .collect();
            out.push(GameEvent::CeaseFireEnded {
                by: faction,
                with: *with,
                blocks: ended,
                why: why.clone(),
            });
            diplomacy.break_treaties(&broken, faction, *with, turn, rules, out);
            Ok(())
        }
        Order::Propose { name, to, clauses } => {
            for &f in to {
                known(f)?;
            }
            let mut reasons = diplomacy.check_proposal(faction, to, clauses);
            if to.iter().any(|f| defeated[f.index()]) {
                reasons.push(RefusalReason::Defeated);
            }
            if !reasons.is_empty() {
                return Err(OrderRefusal::InvalidProposal(reasons));
            }
            let mut addressees: Vec<FactionId> =
                to.iter().copied().filter(|&f| f != faction).collect();
            addressees.sort_unstable();
            addressees.dedup();
            let id = diplomacy.file_proposal(super::Proposal {
                id: crate::core::ids::ProposalId(0),
                name: name.clone(),
                from: faction,
                to: addressees.clone(),
                clauses: clauses.clone(),
                made: turn,
                answers: Vec::new(),
            });
            out.push(GameEvent::ProposalMade {
                proposal: id,
                from: faction,
                to: addressees,
            });
            Ok(())
        }
        Order::Answer { proposal, answer } => {
            let Some(p) = diplomacy.proposals.iter_mut().find(|p| p.id == *proposal) else {
                return Err(OrderRefusal::NoSuchProposal(*proposal));
            };
            if !p.to.contains(&faction) {
                return Err(OrderRefusal::NotAddressed(*proposal));
            }
            if p.answers.iter().any(|(f, _)| *f == faction) {
                return Err(OrderRefusal::AlreadyAnswered(*proposal));
            }
            p.answers.push((faction, answer.clone()));
            Ok(())
        }
        Order::LeaveAlliance { alliance } => {
            let Some(a) = diplomacy
                .alliance(*alliance)
                .filter(|a| a.dissolved.is_none())
            else {
                return Err(OrderRefusal::NoSuchAlliance(*alliance));
            };
            if !a.members.contains(&faction) {
                return Err(OrderRefusal::NotAMember(*alliance));
            }
            diplomacy.leave_alliance(*alliance, faction, turn);
            out.push(GameEvent::AllianceLeft {
                alliance: *alliance,
                faction,
            });
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Proposals with every answer in are signed (if they still can apply) or refused; those
/// left unanswered too long lapse.
fn settle_proposals(
    mut diplomacy: ResMut<Diplomacy>,
    rules: Res<Rules>,
    calendar: Res<Calendar>,
    mut log: ResMut<TurnLog>,
) {
    let turn = calendar.turn;
    let mut out = Vec::new();
    let pending = std::mem::take(&mut diplomacy.proposals);
    let mut still_pending = Vec::new();
    for p in pending {
        let refusals: Vec<(FactionId, Vec<RefusalReason>)> = p
            .answers
            .iter()
            .filter_map(|(f, a)| match a {
                Answer::Refuse(reasons) => Some((*f, reasons.clone())),
                Answer::Accept => None,
            })
            .collect();
        if !refusals.is_empty() {
            for (by, reasons) in refusals {
                out.push(GameEvent::ProposalRefused {
                    proposal: p.id,
                    from: p.from,
                    by,
                    reasons,
                });
            }
            continue;
        }
        if p.answers.len() == p.to.len() {
            let reasons = diplomacy.check_proposal(p.from, &p.to, &p.clauses);
            if reasons.is_empty() {
                diplomacy.sign(
                    p.name.clone(),
                    p.signatories(),
                    p.clauses.clone(),
                    turn,
                    &mut out,
                );
            } else {
                out.push(GameEvent::ProposalRefused {
                    proposal: p.id,
                    from: p.from,
                    by: p.from,
                    reasons,
                });
            }
            continue;
        }
        if turn >= p.made + rules.proposal_lapse_turns {
            for &by in
                p.to.iter()
                    .filter(|f| !p.answers.iter().any(|(a, _)| a == *f))
            {
                out.push(GameEvent::ProposalRefused {
                    proposal: p.id,
                    from: p.from,
                    by,
                    reasons: vec![RefusalReason::NoAnswer],
                });
            }
            continue;
        }
        still_pending.push(p);
    }
    diplomacy.proposals = still_pending;
    log.write_batch(out);
}

#[cfg(test)]
mod tests {
    use bevy::ecs::system::RunSystemOnce;

    use super::*;

    fn f(i: usize) -> FactionId {
        FactionId::from_index(i)
    }

    /// Two factions at peace with a common enemy warm to each other, both ways; a pair at war
    /// with each other, or with no enemy in common, does not.
    #[test]
    fn a_common_enemy_warms_the_pairs_at_peace_that_share_it() {
        let mut diplomacy = Diplomacy::new(6);
        // 0 and 1 fight 2; 3 fights 2 and 0; 4 fights 5 alone.
        for (a, b) in [(0, 2), (1, 2), (3, 2), (3, 0), (4, 5)] {
            diplomacy.set_stance(f(a), f(b), Stance::War, 0);
        }
        let mut world = World::new();
        world.insert_resource(diplomacy);
        world.insert_resource(Rules::default());
        world
            .run_system_once(refresh_opinions)
            .expect("the system runs");
        let d = world.resource::<Diplomacy>();
        let warmed = |a: usize, b: usize| {
            d.opinion_modifiers(f(a), f(b))
                .iter()
                .any(|m| m.cause == OpinionCause::CommonEnemy)
        };
        let mut pairs = Vec::new();
        for a in 0..6 {
            for b in 0..6 {
                if a != b && warmed(a, b) {
                    pairs.push((a, b));
                }
            }
        }
        // 0-1 and 1-3 share 2; 0-3 share 2 but are at war; 4 and 5 share nothing.
        assert_eq!(pairs, vec![(0, 1), (1, 0), (1, 3), (3, 1)]);
        assert!(Rules::default().common_enemy_opinion > 0);
    }
}
