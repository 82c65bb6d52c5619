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
    let n = diplomacy.faction_count();
    // Enemies as bit sets, so finding a common enemy of a pair costs n/64 words, not n.
    let words = n.div_ceil(64);
    let mut enemies = vec![0u64; n * words];
    for a in 0..n {
        for b in 0..n {
            if diplomacy.at_war(FactionId::from_index(a), FactionId::from_index(b)) {
                enemies[a * words + b / 64] |= 1 << (b % 64);
            }
        }
    }
    for a in 0..n {
        for b in a + 1..n {
            let (fa, fb) = (FactionId::from_index(a), FactionId::from_index(b));
            if diplomacy.at_war(fa, fb) {
                continue;
            }
            let common = (0..words).any(|w| enemies[a * words + w] & enemies[b * words + w] != 0);
            if common {
                diplomacy.refresh_opinion(
                    fa,
                    fb,
                    OpinionCause::CommonEnemy,
                    rules.common_enemy_opinion,
                );
                diplomacy.refresh_opinion(
                    fb,
                    fa,
                    OpinionCause::CommonEnemy,
                    rules.common_enemy_opinion,
                );
            }
        }
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
