//! How the strategic AI prices a treaty. Every clause is given a value in one currency — what
//! it is worth to the faction judging it — from its interests: the war the clause would end
//! (how long it has lasted, who is winning it), a third power much stronger than both sides
//! that they would both rather face than each other, the enemies it would share with a new
//! ally, its opinion of the other side and how that side has kept its word, and its
//! personality. It signs when the sum clears what its personality asks; otherwise it refuses
//! with a typed reason for every term that counted against the treaty.

use crate::core::diplomacy::{Clause, Proposal, RefusalReason, Stance};
use crate::core::faction::Personality;
use crate::core::ids::FactionId;
use crate::core::view::WorldView;

use super::Situation;

/// Turns within which a broken treaty still counts against the breaker.
pub const MEMORY_OF_BREACH: u32 = 24;

/// How much stronger than each of two warring sides a third power must be for them to see it
/// as the greater danger, in tenths.
const THREAT_RATIO_TENTHS: u64 = 15;

/// What a treaty is worth to a faction, and why it falls short if it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appraisal {
    /// Its value: positive for a treaty the faction wants.
    pub value: i32,
    /// The value the faction asks before it signs.
    pub needed: i32,
    /// Reasons that stop it whatever the value: the treaty would bind it against its own side.
    pub vetoes: Vec<RefusalReason>,
    /// The terms that counted against the treaty.
    pub against: Vec<RefusalReason>,
}

impl Appraisal {
    /// Whether the faction signs.
    pub fn accepts(&self) -> bool {
        self.vetoes.is_empty() && self.value >= self.needed
    }

    /// The reasons for a refusal: the vetoes, then every term against it, then, if nothing
    /// else explains it, the shortfall itself.
    pub fn reasons(&self) -> Vec<RefusalReason> {
        let mut out = self.vetoes.clone();
        out.extend(self.against.iter().cloned());
        if out.is_empty() && self.value < self.needed {
            out.push(RefusalReason::Unfavourable {
                value: self.value,
                needed: self.needed,
            });
        }
        out
    }
}

/// How far a faction trusts another to keep its word: its opinion, less a penalty for every
/// treaty the other broke within memory, weighed by the faction's own sense of honour. A
/// breach seen anywhere lowers every witness's trust, not only the victim's.
pub fn trust(view: &WorldView, situation: &Situation, faction: FactionId, other: FactionId) -> i32 {
    let honour = i32::from(situation.personality[faction.index()].honour);
    let breaches = situation
        .breaches_by
        .get(other.index())
        .into_iter()
        .flatten()
        .filter(|&&turn| situation.turn.saturating_sub(turn) < MEMORY_OF_BREACH)
        .count() as i32;
    view.diplomacy
        .opinion(faction, other)
        .saturating_sub(breaches.saturating_mul(10 + honour / 4))
}

/// The strongest power at war with both `a` and `b` that is much stronger than either.
pub fn common_threat(
    view: &WorldView,
    situation: &Situation,
    a: FactionId,
    b: FactionId,
) -> Option<FactionId> {
    let d = &view.diplomacy;
    let (sa, sb) = (situation.strength[a.index()], situation.strength[b.index()]);
    situation.enemies[a.index()]
        .iter()
        .copied()
        .filter(|&t| t != a && t != b && !situation.defeated[t.index()])
        .filter(|&t| d.at_war(a, t) && d.at_war(b, t))
        .filter(|&t| {
            let st = situation.strength[t.index()];
            st * 10 >= sa.max(1) * THREAT_RATIO_TENTHS && st * 10 >= sb.max(1) * THREAT_RATIO_TENTHS
        })
        .max_by_key(|&t| (situation.strength[t.index()], std::cmp::Reverse(t)))
}

/// The value a faction of this personality asks before it signs: an honour-bound faction
/// signs only what it means to keep, a cautious one is readier to settle.
fn asking(me: Personality) -> i32 {
    i32::from(me.honour) / 5 - i32::from(me.caution) / 10
}

fn clamp(v: i64, lo: i64, hi: i64) -> i32 {
    v.clamp(lo, hi) as i32
}

/// What ending or pausing the war with `other` is worth to `faction`: weariness grows with
/// the war's length, losing it makes an end worth more and winning it less (the more so the
/// more aggressive the faction), and a common enemy much stronger than both is worth the most.
fn peace_value(
    view: &WorldView,
    situation: &Situation,
    faction: FactionId,
    other: FactionId,
    against: &mut Vec<RefusalReason>,
) -> i32 {
    let me = situation.personality[faction.index()];
    let rel = view.diplomacy.relation(faction, other);
    let weariness = clamp(i64::from(situation.turn.saturating_sub(rel.since)), 0, 24);
    let ours = situation.strength[faction.index()].max(1) as i64;
    let theirs = situation.strength[other.index()].max(1) as i64;
    // Percent by which the other side is stronger (negative: weaker), within ±100.
    let margin = clamp((theirs - ours) * 100 / ours.max(theirs), -100, 100);
    let mut value = weariness + margin / 2;
    if margin < -33 {
        let greed = i32::from(me.aggression) / 2;
        value -= greed;
        if greed > 10 {
            against.push(RefusalReason::WinningAgainst {
                enemy: other,
                ours: u32::try_from(ours).unwrap_or(u32::MAX),
                theirs: u32::try_from(theirs).unwrap_or(u32::MAX),
            });
        }
    }
    if common_threat(view, situation, faction, other).is_some() {
        value += 40;
    }
    value
}

/// What joining `partners` in an alliance is worth to `faction`, and the vetoes that stop it:
/// a partner is allied to a power `faction` is at war with, or at war with one of its allies.
/// A veto names the partner unless it is the proposer, `from`.
fn alliance_value(
    view: &WorldView,
    situation: &Situation,
    faction: FactionId,
    from: FactionId,
    partners: &[FactionId],
    vetoes: &mut Vec<RefusalReason>,
    against: &mut Vec<RefusalReason>,
) -> i32 {
    let d = &view.diplomacy;
    let mut shared = 0u64;
    let enemies_of = |f: FactionId| {
        situation
            .enemies
            .get(f.index())
            .map_or(&[][..], Vec::as_slice)
    };
    let our_enemies = enemies_of(faction);
    for &p in partners {
        // A veto as the proposer's own, or naming the partner.
        let by = |proposer: RefusalReason, partner: RefusalReason| {
            if p == from { proposer } else { partner }
        };
        // Every term below asks that `faction` or `p` be at war with `e`: only their enemies
        // are looked at (each once), not every power of the galaxy.
        let theirs = enemies_of(p)
            .iter()
            .filter(|e| our_enemies.binary_search(e).is_err());
        for &e in our_enemies.iter().chain(theirs) {
            if e == faction || e == p || situation.defeated[e.index()] {
                continue;
            }
            if d.at_war(faction, e) && d.stance(p, e) == Stance::Alliance {
                vetoes.push(by(
                    RefusalReason::AlliedToEnemy(e),
                    RefusalReason::PartnerAlliedToEnemy {
                        partner: p,
                        enemy: e,
                    },
                ));
            }
            if d.stance(faction, e) == Stance::Alliance && d.at_war(p, e) {
                vetoes.push(by(
                    RefusalReason::AtWarWithAlly(e),
                    RefusalReason::PartnerAtWarWithAlly {
                        partner: p,
                        ally: e,
                    },
                ));
            }
            if d.at_war(faction, e) && d.at_war(p, e) {
                shared += situation.strength[e.index()];
            }
        }
    }
    // In the order of their written form, each written once (not at every comparison).
    vetoes.sort_by_cached_key(|r| format!("{r:?}"));
    vetoes.dedup();
    if shared == 0 {
        against.push(RefusalReason::NoCommonEnemy);
        return -30;
    }
    let ours = situation.strength[faction.index()].max(1);
    // A common enemy as strong as the faction is worth 30; more, up to 60.
    clamp((shared * 30 / ours) as i64, 5, 60)
}

/// What a proposal is worth to `faction`, which must answer it.
pub fn appraise(
    view: &WorldView,
    situation: &Situation,
    faction: FactionId,
    proposal: &Proposal,
) -> Appraisal {
    let d = &view.diplomacy;
    let me = situation.personality[faction.index()];
    let from = proposal.from;
    let mut vetoes = Vec::new();
    let mut against = Vec::new();
    let partners: Vec<FactionId> = proposal
        .signatories()
        .into_iter()
        .filter(|&f| f != faction)
        .collect();

    let trusted = trust(view, situation, faction, from);
    let mut value = trusted / 2;
    if trusted < 0 {
        let opinion = d.opinion(faction, from);
        if opinion < 0 {
            against.push(RefusalReason::LowOpinion { opinion, needed: 0 });
        }
        if let Some(turn) = d.last_breach_by(from)
            && situation.turn.saturating_sub(turn) < MEMORY_OF_BREACH
        {
            against.push(RefusalReason::Untrustworthy {
                turns_ago: situation.turn.saturating_sub(turn),
            });
        }
    }
    let mut needed = asking(me);
    for clause in &proposal.clauses {
        match clause {
            Clause::EndWar | Clause::Truce | Clause::CeaseFire { .. } => {
                for &p in partners.iter().filter(|&&p| d.at_war(faction, p)) {
                    let mut worth = peace_value(view, situation, faction, p, &mut against);
                    // A cease-fire in some blocks binds less than a truce, and peace most.
                    if let Clause::CeaseFire { blocks } = clause {
                        let border = situation.border_blocks(faction, p).len().max(1);
                        worth = worth * (blocks.len().min(border) as i32) / border as i32;
                    } else if matches!(clause, Clause::EndWar) {
                        needed += 5;
                    }
                    value += worth;
                }
            }
            Clause::FormAlliance { .. } | Clause::JoinAlliance { .. } => {
                let mut allies = partners.clone();
                if let Clause::JoinAlliance { alliance } = clause
                    && let Some(a) = d.alliance(*alliance)
                {
                    allies.extend(a.members.iter().copied().filter(|&m| m != faction));
                    allies.sort_unstable();
                    allies.dedup();
                }
                value += alliance_value(
                    view,
                    situation,
                    faction,
                    from,
                    &allies,
                    &mut vetoes,
                    &mut against,
                );
                needed += 10 + i32::from(me.honour) / 10;
            }
        }
    }
    against.dedup();
    Appraisal {
        value,
        needed,
        vetoes,
        against,
    }
}
