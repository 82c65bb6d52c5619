//! The strategic AI's diplomacy: answers priced by [`super::appraise`], and overtures it makes
//! only when the treaty is worth it to itself, the rules would let it apply, and the other side
//! would, by its own reckoning, sign — so no proposal is wasted, and none binds it against its
//! own side.

use crate::core::diplomacy::{Answer, Clause, Motive, Proposal, Stance};
use crate::core::faction::Archetype;
use crate::core::ids::{BlockId, FactionId, ProposalId, SectorId};
use crate::core::orders::Order;
use crate::core::view::WorldView;

use super::Situation;
use super::appraise::{appraise, common_threat};

/// A prize behind a cease-fire: the sector, its block, and the strength near it.
#[derive(Clone, Copy, Debug)]
pub struct Prize {
    /// The block whose cease-fire shields it.
    pub block: BlockId,
    /// The sector.
    pub sector: SectorId,
    /// The breaker's strength within two steps.
    pub ours: u32,
    /// The enemy's and its friends' there.
    pub theirs: u32,
}

/// The prizes of a cease-fire with `enemy` worth breaking it for, at most one per block, in
/// block order: each is one of the enemy's shipyards, its capital or a sector the scenario
/// sends `faction` to take (`goals`, sorted), and `faction`'s fleets within two steps of it
/// are half again as strong as the enemy's and its friends'. (What the breach costs, the
/// rules take: the victim's, the other signatories' and every witness's opinion of the
/// breaker.)
pub fn prize_blocks(
    view: &WorldView,
    situation: &Situation,
    faction: FactionId,
    enemy: FactionId,
    goals: &[SectorId],
) -> Vec<Prize> {
    let d = &view.diplomacy;
    let g = &view.galaxy;
    let rel = d.relation(faction, enemy);
    if rel.stance != Stance::War || rel.ceasefire_blocks.is_empty() {
        return Vec::new();
    }
    // The fleets within two steps on the grid, read from the sectors there rather than from
    // every fleet on the map.
    let near = |s: SectorId, side: &dyn Fn(FactionId) -> bool| -> u64 {
        g.place(s)
            .hex
            .range(2)
            .filter_map(|h| g.sector_at(h))
            .flat_map(|t| situation.fleets_at(t))
            .filter(|f| side(f.side.owner))
            .map(|f| u64::from(f.strength))
            .sum()
    };
    rel.ceasefire_blocks
        .iter()
        .filter_map(|&block| {
            situation.owned[enemy.index()].iter().find_map(|&s| {
                let prize = g.block_of(s) == block
                    && (situation.shipyard[s.index()]
                        || situation.capital[enemy.index()] == Some(s)
                        || goals.binary_search(&s).is_ok());
                if !prize {
                    return None;
                }
                let ours = near(s, &|o| o == faction);
                let theirs = near(s, &|o| d.friendly(o, enemy));
                (ours > 0 && ours * 2 >= theirs * 3).then(|| Prize {
                    block,
                    sector: s,
                    ours: u32::try_from(ours).unwrap_or(u32::MAX),
                    theirs: u32::try_from(theirs).unwrap_or(u32::MAX),
                })
            })
        })
        .collect()
}

/// The answers of `faction` to every proposal waiting for it, and the factions whose offers
/// to end or pause a war it accepted: it plans the rest of its turn as if those wars had
/// stopped, since they will have by the time its fleets move.
pub fn answers(
    view: &WorldView,
    situation: &Situation,
    faction: FactionId,
) -> (Vec<Order>, Vec<FactionId>) {
    let mut orders = Vec::new();
    let mut settled = Vec::new();
    for p in situation.proposals_to(view, faction) {
        let appraisal = appraise(view, situation, faction, p);
        let answer = if appraisal.accepts() {
            if p.clauses
                .iter()
                .any(|c| matches!(c, Clause::EndWar | Clause::Truce))
            {
                settled.extend(p.signatories().into_iter().filter(|&f| f != faction));
            }
            Answer::Accept
        } else {
            Answer::Refuse(appraisal.reasons())
        };
        orders.push(Order::Answer {
            proposal: p.id,
            answer,
        });
    }
    settled.sort_unstable();
    settled.dedup();
    (orders, settled)
}

/// Whether either faction has a proposal to the other waiting.
fn pending(situation: &Situation, a: FactionId, b: FactionId) -> bool {
    situation.proposed(a, b) || situation.proposed(b, a)
}

/// Whether a proposal is one both sides would sign and the rules would carry out.
fn agreeable(view: &WorldView, situation: &Situation, draft: &Proposal) -> bool {
    if !view
        .diplomacy
        .check_proposal(draft.from, &draft.to, &draft.clauses)
        .is_empty()
    {
        return false;
    }
    draft
        .signatories()
        .into_iter()
        .all(|f| appraise(view, situation, f, draft).accepts())
}

fn draft(
    situation: &Situation,
    from: FactionId,
    to: FactionId,
    name: &str,
    clause: Clause,
) -> Proposal {
    Proposal {
        id: ProposalId(u32::MAX),
        name: name.into(),
        from,
        to: vec![to],
        clauses: vec![clause],
        made: situation.turn,
        answers: Vec::new(),
    }
}

fn propose(p: Proposal) -> Order {
    Order::Propose {
        name: p.name,
        to: p.to,
        clauses: p.clauses,
    }
}

/// The faction's own diplomatic moves this turn: a truce with an enemy when a third power much
/// stronger than both threatens them, a cease-fire on the shared border of a war it is losing,
/// an alliance with a power that fights its enemies — each only when agreeable — and, for an
/// aggressive faction, war on a much weaker neighbour it has no treaty with; and, for an
/// aggressive or opportunist one, the end of a block cease-fire that shields a prize it is
/// strong enough to take ([`prize_blocks`]), and of a truce with a much weaker neighbour that
/// has outlived its reason ([`outlived_truce`]).
pub fn overtures(
    view: &WorldView,
    situation: &Situation,
    faction: FactionId,
    goals: &[SectorId],
) -> Vec<Order> {
    let d = &view.diplomacy;
    let me = situation.personality[faction.index()];
    // Its enemies and its neighbours, in id order: every move below concerns one or the
    // other, so no faction looks at every power of the galaxy.
    let standing = |list: &[FactionId]| -> Vec<FactionId> {
        list.iter()
            .copied()
            .filter(|&f| f != faction && !situation.defeated[f.index()])
            .collect()
    };
    let enemies = standing(&situation.enemies[faction.index()]);
    let neighbours = standing(&situation.neighbours[faction.index()]);
    let mut orders = Vec::new();

    let mut offered = Vec::new();
    for &enemy in &enemies {
        if pending(situation, faction, enemy) {
            offered.push(enemy);
            continue;
        }
        let clause = if common_threat(view, situation, faction, enemy).is_some() {
            Clause::Truce
        } else {
            super::diplomacy::border_ceasefire(view, situation, faction, enemy)
        };
        let p = draft(situation, faction, enemy, "Cease-fire", clause);
        if agreeable(view, situation, &p) {
            orders.push(propose(p));
            offered.push(enemy);
        }
    }

    if matches!(me.archetype, Archetype::Aggressive | Archetype::Opportunist) {
        for &enemy in enemies.iter().filter(|&e| !offered.contains(e)) {
            // Only a war with cease-fires in it has a cease-fire to end.
            if d.relation(faction, enemy).ceasefire_blocks.is_empty() {
                continue;
            }
            // An opportunist breaks faith only with a power no alliance will avenge.
            if me.archetype == Archetype::Opportunist && d.alliances_of(enemy).next().is_some() {
                continue;
            }
            let prizes = prize_blocks(view, situation, faction, enemy, goals);
            if !prizes.is_empty() {
                let mut blocks: Vec<BlockId> = prizes.iter().map(|p| p.block).collect();
                blocks.dedup();
                let why = prizes
                    .iter()
                    .flat_map(|p| {
                        [
                            Motive::Prize { sector: p.sector },
                            Motive::Outmatched {
                                ours: p.ours,
                                theirs: p.theirs,
                            },
                        ]
                    })
                    .collect();
                orders.push(Order::EndCeaseFire {
                    with: enemy,
                    blocks,
                    why,
                });
            }
        }
    }

    // A partner at war with one of its enemies: found among those enemies' own enemies, the
    // first by id, rather than by asking every faction about every enemy.
    let mut fronts: Vec<FactionId> = situation.enemies[faction.index()]
        .iter()
        .flat_map(|e| situation.enemies[e.index()].iter().copied())
        .collect();
    fronts.sort_unstable();
    fronts.dedup();
    if let Some(ally) = fronts.into_iter().find(|&o| {
        o != faction
            && !situation.defeated[o.index()]
            && !d.friendly(faction, o)
            && !d.at_war(faction, o)
            && !pending(situation, faction, o)
    }) {
        let clause = match d.alliances_of(faction).next() {
            Some(alliance) => Clause::JoinAlliance { alliance },
            None => Clause::FormAlliance {
                key: format!("alliance_t{}_f{}", situation.turn, faction.0),
                name: "Common Front".into(),
            },
        };
        let p = draft(situation, faction, ally, "Pact of alliance", clause);
        if agreeable(view, situation, &p) {
            orders.push(propose(p));
        }
    }

    let wars = situation.enemies[faction.index()].len();
    if me.aggression >= 60 && wars * 40 < usize::from(me.aggression) {
        let victim = neighbours
            .iter()
            .copied()
            .filter(|&o| {
                matches!(d.stance(faction, o), Stance::Peace)
                    && situation.much_weaker(o, faction)
                    && d.opinion(faction, o) < 10
                    && d.treaties_between(faction, o).next().is_none()
                    && !pending(situation, faction, o)
            })
            .min_by_key(|&o| (situation.strength[o.index()], o));
        if let Some(on) = victim {
            orders.push(Order::DeclareWar {
                on,
                why: super::diplomacy::war_motives(view, situation, faction, on),
            });
        } else if let Some((on, since)) = outlived_truce(view, situation, faction, &neighbours) {
            let mut why = super::diplomacy::war_motives(view, situation, faction, on);
            why.push(Motive::TruceOutlived { since });
            orders.push(Order::DeclareWar { on, why });
        }
    }
    orders
}

/// How long a truce holds before an aggressive or opportunist faction weighs ending it.
pub const TRUCE_KEPT_TURNS: u32 = 12;

/// The honour from which a faction keeps its truces, whatever its character.
pub const TRUCE_KEPT_HONOUR: u8 = 70;

/// The neighbour, and the turn their truce began, that an aggressive or opportunist faction
/// of honour under [`TRUCE_KEPT_HONOUR`] goes back to war with: the weakest of those it has
/// kept a truce with for [`TRUCE_KEPT_TURNS`] that are under three fifths of its strength (as
/// for a war on a neighbour at peace), with no proposal waiting between them, and that no third
/// power much stronger than both is still at war with — the threat a truce is signed against
/// ([`common_threat`]). An opportunist spares a power in an alliance. The declaration costs
/// what every declaration of war and every broken treaty costs in opinion.
pub fn outlived_truce(
    view: &WorldView,
    situation: &Situation,
    faction: FactionId,
    neighbours: &[FactionId],
) -> Option<(FactionId, u32)> {
    let d = &view.diplomacy;
    let me = situation.personality[faction.index()];
    if !matches!(me.archetype, Archetype::Aggressive | Archetype::Opportunist)
        || me.honour >= TRUCE_KEPT_HONOUR
    {
        return None;
    }
    neighbours
        .iter()
        .copied()
        .filter_map(|o| {
            let rel = d.relation(faction, o);
            let kept = situation.turn.saturating_sub(rel.since);
            let outlived = rel.stance == Stance::CeaseFire
                && kept >= TRUCE_KEPT_TURNS
                && situation.much_weaker(o, faction)
                && !pending(situation, faction, o)
                && (me.archetype != Archetype::Opportunist || d.alliances_of(o).next().is_none())
                && common_threat(view, situation, faction, o).is_none();
            outlived.then_some((o, rel.since))
        })
        .min_by_key(|&(o, _)| (situation.strength[o.index()], o))
}
