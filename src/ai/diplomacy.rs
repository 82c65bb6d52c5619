//! How an AI faction answers proposals and when it makes its own. Every clause is weighed
//! against the faction's opinion of the proposer, the state of its wars and its personality;
//! a refusal lists every reason that applies, not just the first.

use crate::core::diplomacy::{Answer, Clause, Motive, Proposal, RefusalReason, Stance};
use crate::core::ids::FactionId;
use crate::core::orders::Order;
use crate::core::view::WorldView;

use super::Situation;

/// Turns within which a broken treaty still makes a proposer untrustworthy.
const MEMORY_OF_BREACH: u32 = 12;

/// A faction's answer to a proposal, with its reasons if it refuses.
pub fn judge(
    view: &WorldView,
    situation: &Situation,
    faction: FactionId,
    proposal: &Proposal,
) -> Answer {
    let d = &view.diplomacy;
    let from = proposal.from;
    let me = situation.personality[faction.index()];
    let opinion = d.opinion(faction, from);
    let mut reasons = Vec::new();

    let ends_fighting = proposal
        .clauses
        .iter()
        .any(|c| matches!(c, Clause::EndWar | Clause::Truce | Clause::CeaseFire { .. }));
    let allies = proposal
        .clauses
        .iter()
        .any(|c| matches!(c, Clause::FormAlliance { .. } | Clause::JoinAlliance { .. }));

    // The opinion needed rises with aggression for ending wars, and is high for alliances.
    let mut needed = i32::MIN;
    if ends_fighting {
        needed = needed.max(-40 + i32::from(me.aggression) / 2);
    }
    if allies {
        needed = needed.max(10 + i32::from(me.honour) / 5);
    }
    if needed > i32::MIN && opinion < needed {
        reasons.push(RefusalReason::LowOpinion { opinion, needed });
    }

    if ends_fighting && d.at_war(faction, from) {
        let ours = situation.strength[faction.index()] as u32;
        let theirs = situation.strength[from.index()] as u32;
        // An aggressive faction keeps fighting a war it is clearly winning.
        if me.aggression > 40 && u64::from(ours) * 2 > u64::from(theirs) * 3 {
            reasons.push(RefusalReason::WinningAgainst {
                enemy: from,
                ours,
                theirs,
            });
        }
    }

    if let Some(turn) = d.last_breach_by(from) {
        let ago = situation.turn.saturating_sub(turn);
        if ago < MEMORY_OF_BREACH && me.honour > 30 {
            reasons.push(RefusalReason::Untrustworthy { turns_ago: ago });
        }
    }

    if allies {
        for ally in (0..situation.faction_count()).map(FactionId::from_index) {
            if ally != faction
                && d.stance(faction, ally) == Stance::Alliance
                && d.at_war(from, ally)
            {
                reasons.push(RefusalReason::AtWarWithAlly(ally));
            }
        }
        let common_enemy = situation.enemies[faction.index()]
            .iter()
            .any(|&e| d.at_war(from, e));
        if !common_enemy && opinion < 50 {
            reasons.push(RefusalReason::NoCommonEnemy);
        }
    }

    if reasons.is_empty() {
        Answer::Accept
    } else {
        Answer::Refuse(reasons)
    }
}

/// Answers to every proposal waiting for the faction.
pub fn answers(view: &WorldView, situation: &Situation, faction: FactionId) -> Vec<Order> {
    let waiting: Vec<&Proposal> = situation.proposals_to(view, faction).collect();
    waiting
        .into_iter()
        .map(|p| Order::Answer {
            proposal: p.id,
            answer: judge(view, situation, faction, p),
        })
        .collect()
}

/// A cease-fire in the blocks where the two fronts touch and none holds yet, or a truce where
/// there is no such block.
pub(super) fn border_ceasefire(
    view: &WorldView,
    situation: &Situation,
    faction: FactionId,
    enemy: FactionId,
) -> Clause {
    let blocks: Vec<_> = situation
        .border_blocks(faction, enemy)
        .iter()
        .copied()
        .filter(|b| !view.diplomacy.ceasefire_in(faction, enemy, *b))
        .collect();
    if blocks.is_empty() {
        Clause::Truce
    } else {
        Clause::CeaseFire { blocks }
    }
}

/// Diplomatic moves of the faction's own: at most one kind each turn, on a rhythm of its own
/// so that two dozen factions do not all speak at once.
pub fn initiatives(view: &WorldView, situation: &Situation, faction: FactionId) -> Vec<Order> {
    let d = &view.diplomacy;
    let me = situation.personality[faction.index()];
    let my_strength = situation.strength[faction.index()];
    let beat = (situation.turn as usize + faction.index()) % 4;
    let others = || {
        (0..situation.faction_count())
            .map(FactionId::from_index)
            .filter(move |&f| f != faction && !situation.defeated[f.index()])
    };
    let mut orders = Vec::new();
    match beat {
        // Losing a war: ask for a cease-fire where the two fronts touch, or a truce.
        0 => {
            for enemy in others().filter(|&e| d.at_war(faction, e)) {
                let theirs = situation.strength[enemy.index()];
                if my_strength * 10 >= theirs * 7 || situation.proposed(faction, enemy) {
                    continue;
                }
                orders.push(Order::Propose {
                    name: "Cease-fire".into(),
                    to: vec![enemy],
                    clauses: vec![border_ceasefire(view, situation, faction, enemy)],
                });
            }
        }
        // A friend fighting the same enemy: form or widen an alliance.
        1 => {
            let mine = d.alliances_of(faction).next();
            for other in others() {
                let friendly = d.opinion(faction, other) >= 30;
                let common_enemy = situation.enemies[faction.index()]
                    .iter()
                    .any(|&e| d.at_war(other, e));
                if !friendly
                    || !common_enemy
                    || d.friendly(faction, other)
                    || d.at_war(faction, other)
                {
                    continue;
                }
                if situation.proposed(faction, other) {
                    continue;
                }
                let clause = match mine {
                    Some(alliance) => Clause::JoinAlliance { alliance },
                    None if d.alliances_of(other).next().is_none() => Clause::FormAlliance {
                        key: format!("alliance_t{}_f{}", situation.turn, faction.0),
                        name: "Common Front".into(),
                    },
                    None => continue,
                };
                orders.push(Order::Propose {
                    name: "Pact of alliance".into(),
                    to: vec![other],
                    clauses: vec![clause],
                });
                break;
            }
        }
        // An aggressive faction at peace picks a fight with a much weaker neighbour.
        2 if me.aggression >= 60 => {
            let wars = situation.enemies[faction.index()].len();
            if wars * 40 < usize::from(me.aggression) {
                let victim = others()
                    .filter(|&o| {
                        matches!(d.stance(faction, o), Stance::Peace)
                            && !situation.border_blocks(faction, o).is_empty()
                            && situation.much_weaker(o, faction)
                            && d.opinion(faction, o) < 10
                            && (me.honour < 70 || d.treaties_between(faction, o).next().is_none())
                    })
                    .min_by_key(|&o| (situation.strength[o.index()], o));
                if let Some(on) = victim {
                    orders.push(Order::DeclareWar {
                        on,
                        why: war_motives(view, situation, faction, on),
                    });
                }
            }
        }
        _ => {}
    }
    orders
}

/// The reasons a faction gives for war on a weaker neighbour: the two powers' strength, and,
/// where no treaty binds them, its ill opinion of the other.
pub fn war_motives(
    view: &WorldView,
    situation: &Situation,
    faction: FactionId,
    on: FactionId,
) -> Vec<Motive> {
    let strength = |f: FactionId| u32::try_from(situation.strength[f.index()]).unwrap_or(u32::MAX);
    let mut why = vec![Motive::Weaker {
        ours: strength(faction),
        theirs: strength(on),
    }];
    let d = &view.diplomacy;
    if d.treaties_between(faction, on).next().is_none() {
        why.push(Motive::Grievance {
            opinion: d.opinion(faction, on),
        });
    }
    why
}
