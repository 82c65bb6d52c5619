//! Treaties and proposals: clauses, signatories, answers and the typed reasons for a refusal.

use serde::{Deserialize, Serialize};

use super::{Diplomacy, OpinionCause, Stance};
use crate::core::events::GameEvent;
use crate::core::ids::{AllianceId, BlockId, FactionId, ProposalId, SectorId, TreatyId};

/// One term of a treaty. It binds every pair of signatories it can apply to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Clause {
    /// Signatories at war or in a cease-fire make peace.
    EndWar,
    /// Signatories at war stop fighting everywhere (a general cease-fire).
    Truce,
    /// Signatories at war stop fighting and taking ground in these blocks only.
    CeaseFire {
        /// The blocks.
        blocks: Vec<BlockId>,
    },
    /// The signatories found an alliance.
    FormAlliance {
        /// Its id in files and replays.
        key: String,
        /// Its name.
        name: String,
    },
    /// The signatories that are not yet members join this alliance.
    JoinAlliance {
        /// The alliance.
        alliance: AllianceId,
    },
}

/// A broken treaty: who broke it and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breach {
    /// The breaker.
    pub by: FactionId,
    /// The turn.
    pub turn: u32,
}

/// A signed treaty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Treaty {
    /// Its name, e.g. "Jenolan Accord".
    pub name: String,
    /// Who signed, sorted.
    pub signatories: Vec<FactionId>,
    /// Its terms.
    pub clauses: Vec<Clause>,
    /// The turn it was signed (0: before the scenario).
    pub signed: u32,
    /// Set when it is broken.
    pub breach: Option<Breach>,
}

/// An offer of a treaty, waiting for every addressee's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// Its id.
    pub id: ProposalId,
    /// The treaty's name if signed.
    pub name: String,
    /// Who proposes.
    pub from: FactionId,
    /// Who must answer, sorted.
    pub to: Vec<FactionId>,
    /// The terms.
    pub clauses: Vec<Clause>,
    /// The turn it was made.
    pub made: u32,
    /// The answers so far.
    pub answers: Vec<(FactionId, Answer)>,
}

impl Proposal {
    /// Everyone who would sign: the proposer and the addressees, sorted.
    pub fn signatories(&self) -> Vec<FactionId> {
        let mut all = self.to.clone();
        all.push(self.from);
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// A faction's answer to a proposal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// It signs.
    Accept,
    /// It will not sign, and says why.
    Refuse(Vec<RefusalReason>),
}

/// Why a proposal is refused: by the rules (it cannot apply) or by the faction's judgement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefusalReason {
    /// A clause needs these two at war, and they are not.
    NotAtWar(FactionId, FactionId),
    /// The clause would change nothing between any pair of signatories.
    NothingToAgree,
    /// These two would be allies while still at war.
    StillAtWar(FactionId, FactionId),
    /// The alliance does not exist or is dissolved.
    NoSuchAlliance(AllianceId),
    /// Every signatory is already a member.
    AlreadyMembers(AllianceId),
    /// No signatory is a member, so no one can admit the others.
    NoMemberSigns(AllianceId),
    /// A proposal needs at least one addressee other than the proposer.
    NoAddressee,
    /// A cease-fire names no block.
    NoBlocks,
    /// The faction thinks too little of the proposer.
    LowOpinion {
        /// Its opinion of the proposer.
        opinion: i32,
        /// The opinion it would need.
        needed: i32,
    },
    /// The faction believes it is winning the war it would end. Saves and replays from before
    /// [`RefusalReason::WinningAgainst`] hold it; the AI now gives that instead, which names
    /// the enemy.
    Winning {
        /// Its strength.
        ours: u32,
        /// The proposer's strength.
        theirs: u32,
    },
    /// The proposer broke a treaty recently.
    Untrustworthy {
        /// Turns since the breach.
        turns_ago: u32,
    },
    /// The proposer is at war with one of the faction's allies.
    AtWarWithAlly(FactionId),
    /// The faction sees no enemy the two have in common to ally against.
    NoCommonEnemy,
    /// The proposer is allied to a power the faction is at war with.
    AlliedToEnemy(FactionId),
    /// The terms are worth too little to the faction: their value to it, and what it asks.
    Unfavourable {
        /// What the treaty is worth to it.
        value: i32,
        /// What it asks before it signs.
        needed: i32,
    },
    /// The faction is defeated and cannot sign anything.
    Defeated,
    /// No answer came before the proposal lapsed, or before a person ended the turn.
    NoAnswer,
    /// A person declined it.
    Declined,
    /// A power the faction would be allied to under the treaty, other than the proposer (a
    /// fellow addressee, or a member of the alliance it would join), is allied to a power
    /// the faction is at war with. (Last among the reasons, so that the others keep their
    /// place in saved worlds and replays.)
    PartnerAlliedToEnemy {
        /// The would-be ally.
        partner: FactionId,
        /// The faction's enemy it is allied to.
        enemy: FactionId,
    },
    /// A power the faction would be allied to under the treaty, other than the proposer, is at
    /// war with one of the faction's allies.
    PartnerAtWarWithAlly {
        /// The would-be ally.
        partner: FactionId,
        /// The faction's ally it is at war with.
        ally: FactionId,
    },
    /// The faction believes it is winning its war with `enemy`, which the treaty would end or
    /// pause.
    WinningAgainst {
        /// The signatory it is winning against.
        enemy: FactionId,
        /// Its strength.
        ours: u32,
        /// The enemy's strength.
        theirs: u32,
    },
}

/// Why a faction goes to war or ends a cease-fire, as it gives it: each declaration carries its
/// reasons to the log and the window. A person's declarations carry none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Motive {
    /// The other is far weaker: the two powers' whole fleet strength.
    Weaker {
        /// Its own.
        ours: u32,
        /// The other's.
        theirs: u32,
    },
    /// No treaty binds the two, and it thinks this ill of the other.
    Grievance {
        /// Its opinion of the other.
        opinion: i32,
    },
    /// The cease-fire shields a prize it means to take: the other's shipyard, capital, or a
    /// sector its objectives name.
    Prize {
        /// The sector.
        sector: SectorId,
    },
    /// Its fleets near the prize outmatch the other's and its friends' there.
    Outmatched {
        /// Its strength within two steps of the prize.
        ours: u32,
        /// Theirs.
        theirs: u32,
    },
    /// The truce between them has outlived its reason: no power much stronger than both (half
    /// again as strong as either) is at war with both any longer.
    TruceOutlived {
        /// The turn the truce began.
        since: u32,
    },
}

impl Diplomacy {
    /// Whether a proposal can apply at all, before any faction judges it. Every problem is
    /// listed, not only the first.
    pub fn check_proposal(
        &self,
        from: FactionId,
        to: &[FactionId],
        clauses: &[Clause],
    ) -> Vec<RefusalReason> {
        let mut reasons = Vec::new();
        let mut signatories: Vec<FactionId> = to.to_vec();
        signatories.push(from);
        signatories.sort_unstable();
        signatories.dedup();
        if signatories.len() < 2 {
            reasons.push(RefusalReason::NoAddressee);
            return reasons;
        }
        let pairs: Vec<(FactionId, FactionId)> = signatories
            .iter()
            .enumerate()
            .flat_map(|(i, &a)| signatories[i + 1..].iter().map(move |&b| (a, b)))
            .collect();
        let ends_war = clauses.iter().any(|c| matches!(c, Clause::EndWar));
        for clause in clauses {
            match clause {
                Clause::EndWar => {
                    if !pairs
                        .iter()
                        .any(|&(a, b)| matches!(self.stance(a, b), Stance::War | Stance::CeaseFire))
                    {
                        reasons.push(RefusalReason::NothingToAgree);
                    }
                }
                Clause::Truce => {
                    if !pairs.iter().any(|&(a, b)| self.at_war(a, b)) {
                        let (a, b) = pairs[0];
                        reasons.push(RefusalReason::NotAtWar(a, b));
                    }
                }
                Clause::CeaseFire { blocks } => {
                    if blocks.is_empty() {
                        reasons.push(RefusalReason::NoBlocks);
                    } else if !pairs.iter().any(|&(a, b)| self.at_war(a, b)) {
                        let (a, b) = pairs[0];
                        reasons.push(RefusalReason::NotAtWar(a, b));
                    } else if !pairs.iter().any(|&(a, b)| {
                        self.at_war(a, b) && blocks.iter().any(|bl| !self.ceasefire_in(a, b, *bl))
                    }) {
                        reasons.push(RefusalReason::NothingToAgree);
                    }
                }
                Clause::FormAlliance { .. } => {
                    if !ends_war {
                        for &(a, b) in &pairs {
                            if matches!(self.stance(a, b), Stance::War | Stance::CeaseFire) {
                                reasons.push(RefusalReason::StillAtWar(a, b));
                            }
                        }
                    }
                }
                Clause::JoinAlliance { alliance } => match self.alliance(*alliance) {
                    Some(al) if al.dissolved.is_none() => {
                        let members = signatories
                            .iter()
                            .filter(|f| al.members.contains(f))
                            .count();
                        if members == 0 {
                            reasons.push(RefusalReason::NoMemberSigns(*alliance));
                        } else if members == signatories.len() {
                            reasons.push(RefusalReason::AlreadyMembers(*alliance));
                        } else if !ends_war {
                            for &(a, b) in &pairs {
                                if matches!(self.stance(a, b), Stance::War | Stance::CeaseFire) {
                                    reasons.push(RefusalReason::StillAtWar(a, b));
                                }
                            }
                        }
                    }
                    _ => reasons.push(RefusalReason::NoSuchAlliance(*alliance)),
                },
            }
        }
        reasons.dedup();
        reasons
    }

    /// Signs a treaty among `signatories` and carries out its clauses in order, reporting
    /// each change. The caller has checked it with [`Diplomacy::check_proposal`].
    pub fn sign(
        &mut self,
        name: String,
        signatories: Vec<FactionId>,
        clauses: Vec<Clause>,
        turn: u32,
        out: &mut Vec<GameEvent>,
    ) -> TreatyId {
        let pairs: Vec<(FactionId, FactionId)> = signatories
            .iter()
            .enumerate()
            .flat_map(|(i, &a)| signatories[i + 1..].iter().map(move |&b| (a, b)))
            .collect();
        let id = self.record_treaty(Treaty {
            name: name.clone(),
            signatories: signatories.clone(),
            clauses: clauses.clone(),
            signed: turn,
            breach: None,
        });
        out.push(GameEvent::TreatySigned {
            treaty: id,
            name,
            signatories: signatories.clone(),
        });
        for &(a, b) in &pairs {
            self.add_opinion(a, b, OpinionCause::TreatySigned, 10);
            self.add_opinion(b, a, OpinionCause::TreatySigned, 10);
        }
        for clause in clauses {
            match clause {
                Clause::EndWar => {
                    for &(a, b) in &pairs {
                        if matches!(self.stance(a, b), Stance::War | Stance::CeaseFire) {
                            self.set_stance(a, b, Stance::Peace, turn);
                            out.push(GameEvent::PeaceMade {
                                between: (a, b),
                                treaty: id,
                            });
                        }
                    }
                }
                Clause::Truce => {
                    for &(a, b) in &pairs {
                        if self.at_war(a, b) {
                            self.set_stance(a, b, Stance::CeaseFire, turn);
                            out.push(GameEvent::TruceAgreed {
                                between: (a, b),
                                treaty: id,
                            });
                        }
                    }
                }
                Clause::CeaseFire { blocks } => {
                    for &(a, b) in &pairs {
                        let added = self.add_ceasefire_blocks(a, b, &blocks);
                        if !added.is_empty() {
                            out.push(GameEvent::CeaseFireAgreed {
                                between: (a, b),
                                blocks: added,
                                treaty: id,
                            });
                        }
                    }
                }
                Clause::FormAlliance { key, name } => {
                    let alliance = self.form_alliance(key, name.clone(), &signatories, false, turn);
                    out.push(GameEvent::AllianceFormed {
                        alliance,
                        name,
                        members: signatories.clone(),
                    });
                }
                Clause::JoinAlliance { alliance } => {
                    for &f in &signatories {
                        if self.join_alliance(alliance, f, turn) {
                            out.push(GameEvent::AllianceJoined {
                                alliance,
                                faction: f,
                            });
                        }
                    }
                }
            }
        }
        id
    }
}
