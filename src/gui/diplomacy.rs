//! The diplomacy screen: every faction's stance toward the player and its opinion with each
//! of its typed modifiers, the cease-fire blocks, treaties, alliances and joint commands; the
//! answers to the player's last proposals with their reasons; and a proposal built clause by
//! clause, checked as it is given.

use std::collections::BTreeSet;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::ai::appraise::Appraisal;
use crate::chronicle::Chronicle;
use crate::core::diplomacy::{Clause, Stance};
use crate::core::ids::{AllianceId, BlockId, FactionId};
use crate::core::orders::Order;

use super::Screen;
use super::command::Command;
use super::playing::Playing;
use super::snapshot::Snapshot;

/// Whether the diplomacy screen is open (Escape closes it).
#[derive(Resource, Default)]
pub struct DiplomacyOpen(pub bool);

/// The proposal being written.
#[derive(Resource, Default)]
struct Draft {
    to: BTreeSet<FactionId>,
    name: String,
    clauses: Vec<Clause>,
    blocks: BTreeSet<BlockId>,
    alliance_key: String,
    alliance_name: String,
    join: Option<AllianceId>,
    /// The last forecast of the answers, and what it was worked out for.
    foretold: Option<(Foretold, Vec<(FactionId, Appraisal)>)>,
}

/// What a forecast of the answers to a draft depends on.
#[derive(Clone, Debug, PartialEq)]
struct Foretold {
    generation: u64,
    turn: u32,
    me: FactionId,
    to: Vec<FactionId>,
    clauses: Vec<Clause>,
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<DiplomacyOpen>()
        .init_resource::<Draft>()
        .add_systems(
            EguiPrimaryContextPass,
            window.run_if(in_state(Screen::Game).and_then(resource_exists::<Playing>)),
        );
}

/// Opens the diplomacy screen with a treaty to these factions of these clauses drafted.
pub(super) fn open_with(world: &mut World, to: Vec<FactionId>, clauses: Vec<Clause>) {
    world.resource_mut::<DiplomacyOpen>().0 = true;
    let mut draft = world.resource_mut::<Draft>();
    draft.to = to.into_iter().collect();
    draft.clauses = clauses;
}

fn stance_word(s: Stance) -> &'static str {
    match s {
        Stance::War => "at war",
        Stance::CeaseFire => "general cease-fire",
        Stance::Peace => "at peace",
        Stance::Alliance => "allied",
    }
}

fn window(
    mut contexts: EguiContexts,
    mut open: ResMut<DiplomacyOpen>,
    mut playing: ResMut<Playing>,
    snapshot: Option<Res<Snapshot>>,
    mut draft: ResMut<Draft>,
    mut out: MessageWriter<Command>,
) -> Result {
    if !open.0 {
        return Ok(());
    }
    let Some(me) = playing.seat_at_hand() else {
        return Ok(());
    };
    // How the AI's seats would answer the draft now; reading the world to appraise it changes
    // nothing in the game.
    // It is worked out again only when the draft, the seat or the world has changed.
    let to: Vec<FactionId> = draft.to.iter().copied().collect();
    let key = Foretold {
        generation: playing.generation,
        turn: playing.driver().map_or(0, |d| d.game().turn()),
        me,
        to,
        clauses: draft.clauses.clone(),
    };
    let forecast = match &draft.foretold {
        Some((k, forecast)) if *k == key => forecast.clone(),
        _ => {
            let forecast = if key.to.is_empty() || key.clauses.is_empty() {
                Vec::new()
            } else {
                playing
                    .bypass_change_detection()
                    .forecast(me, &key.to, &key.clauses)
            };
            draft.foretold = Some((key, forecast.clone()));
            forecast
        }
    };
    let playing = playing.into_inner();
    let (Some(snapshot), Some(driver)) = (snapshot, playing.driver()) else {
        return Ok(());
    };
    let ctx = contexts.ctx_mut()?;
    let chronicle = Chronicle::new(driver.game().world());
    let state = &snapshot.state;
    let d = &state.diplomacy;
    let mut still_open = true;
    egui::Window::new(format!("Diplomacy — {}", snapshot.faction_name(me)))
        .open(&mut still_open)
        .default_size([620.0, 720.0])
        .show(ctx, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.heading("Powers");
                for (i, f) in state.factions.iter().enumerate() {
                    let other = FactionId::from_index(i);
                    if other == me {
                        continue;
                    }
                    let rel = d.relation(me, other);
                    let defeated = if f.defeated.is_some() {
                        " (defeated)"
                    } else {
                        ""
                    };
                    egui::CollapsingHeader::new(format!(
                        "{}{defeated}: {}; its opinion of you {}",
                        f.name,
                        stance_word(rel.stance),
                        d.opinion(other, me)
                    ))
                    .id_salt(("power", i))
                    .show(ui, |ui| {
                        for m in d.opinion_modifiers(other, me) {
                            ui.label(format!(
                                "{:+} {:?}{}",
                                m.value,
                                m.cause,
                                if m.permanent {
                                    " (lasting)"
                                } else {
                                    ", fading"
                                }
                            ));
                        }
                        ui.label(format!("your opinion of it: {}", d.opinion(me, other)));
                        if !rel.ceasefire_blocks.is_empty() {
                            let blocks: Vec<String> = rel
                                .ceasefire_blocks
                                .iter()
                                .map(|&b| chronicle.block(b))
                                .collect();
                            ui.label(format!("cease-fire in: {}", blocks.join(", ")));
                        }
                    });
                }
                ui.separator();
                ui.heading("Treaties");
                for t in &d.treaties {
                    let names: Vec<&str> = t
                        .signatories
                        .iter()
                        .map(|&f| snapshot.faction_name(f))
                        .collect();
                    let broken = t.breach.map_or_else(String::new, |b| {
                        format!(" — broken by {}", snapshot.faction_name(b.by))
                    });
                    ui.label(format!("the {} ({}){broken}", t.name, names.join(", ")));
                }
                ui.separator();
                ui.heading("Alliances");
                for a in d.alliances.iter().filter(|a| a.dissolved.is_none()) {
                    let members: Vec<&str> = a
                        .members
                        .iter()
                        .map(|&f| snapshot.faction_name(f))
                        .collect();
                    let chair = a
                        .chair
                        .and_then(|c| state.characters.get(c.index()))
                        .map_or_else(String::new, |c| format!("; chair {}", c.name));
                    let hq = a.hq.map_or_else(String::new, |s| {
                        format!("; headquarters {}", snapshot.sector_name(s))
                    });
                    ui.label(format!("{}: {}{chair}{hq}", a.name, members.join(", ")));
                    for c in &a.commands {
                        let members: Vec<&str> = c
                            .members
                            .iter()
                            .map(|&f| snapshot.faction_name(f))
                            .collect();
                        ui.small(format!(
                            "  joint command {}: {}",
                            c.name,
                            members.join(", ")
                        ));
                    }
                }
                ui.separator();
                ui.heading("Answers to your proposals, last turn");
                let answers = playing.answers_to(me);
                let any = !answers.is_empty();
                for e in answers {
                    ui.label(super::playing::plain(chronicle.event(e)));
                }
                if !any {
                    ui.small("none");
                }
                ui.separator();
                propose(
                    ui, me, &snapshot, &chronicle, &forecast, &mut draft, &mut out,
                );
            });
        });
    open.0 = still_open;
    Ok(())
}

/// The draft's likely answers: each AI addressee's own reckoning, with its reasons.
fn foresee(
    ui: &mut egui::Ui,
    snapshot: &Snapshot,
    chronicle: &Chronicle<'_>,
    forecast: &[(FactionId, Appraisal)],
) {
    if forecast.is_empty() {
        return;
    }
    ui.label("How they would answer it now, by their own reckoning:");
    for (f, a) in forecast {
        let name = snapshot.faction_name(*f);
        if a.accepts() {
            ui.label(format!(
                "{name} would sign: the terms are worth {} to it, and it asks {}",
                a.value, a.needed
            ));
        } else {
            let why: Vec<String> = a.reasons().iter().map(|r| chronicle.reason(r)).collect();
            ui.label(format!("{name} would refuse: {}", why.join("; ")));
        }
    }
}

fn propose(
    ui: &mut egui::Ui,
    me: FactionId,
    snapshot: &Snapshot,
    chronicle: &Chronicle<'_>,
    forecast: &[(FactionId, Appraisal)],
    draft: &mut Draft,
    out: &mut MessageWriter<Command>,
) {
    let state = &snapshot.state;
    ui.heading("Propose a treaty");
    ui.horizontal(|ui| {
        ui.label("name");
        ui.text_edit_singleline(&mut draft.name);
    });
    ui.label("to:");
    ui.horizontal_wrapped(|ui| {
        for (i, f) in state.factions.iter().enumerate() {
            let id = FactionId::from_index(i);
            if id == me || f.defeated.is_some() {
                continue;
            }
            let mut on = draft.to.contains(&id);
            if ui.checkbox(&mut on, &f.name).changed() {
                if on {
                    draft.to.insert(id);
                } else {
                    draft.to.remove(&id);
                }
            }
        }
    });
    ui.label("clauses:");
    let mut drop = None;
    for (k, c) in draft.clauses.iter().enumerate() {
        ui.horizontal(|ui| {
            ui.label(chronicle.clause(c));
            if ui.small_button("remove").clicked() {
                drop = Some(k);
            }
        });
    }
    if let Some(k) = drop {
        draft.clauses.remove(k);
    }
    // The button, then what they would answer, under the draft itself: the clauses to add
    // follow, a long list that would otherwise push both out of sight, and the button comes
    // first so that long reasons do not.
    let ready = !draft.to.is_empty() && !draft.clauses.is_empty();
    if ui
        .add_enabled(ready, egui::Button::new("Propose"))
        .clicked()
    {
        let name = if draft.name.trim().is_empty() {
            "Treaty".to_owned()
        } else {
            draft.name.trim().to_owned()
        };
        out.write(Command::Give(Order::Propose {
            name,
            to: draft.to.iter().copied().collect(),
            clauses: std::mem::take(&mut draft.clauses),
        }));
    }
    ui.small("The answer comes with the next turn, with its reasons.");
    foresee(ui, snapshot, chronicle, forecast);
    ui.separator();
    ui.label("add a clause:");
    ui.horizontal(|ui| {
        if ui.button("+ end the war").clicked() {
            draft.clauses.push(Clause::EndWar);
        }
        if ui.button("+ truce everywhere").clicked() {
            draft.clauses.push(Clause::Truce);
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("cease-fire in:");
        for (b, block) in state.blocks.iter().enumerate() {
            let id = BlockId::from_index(b);
            let mut on = draft.blocks.contains(&id);
            if ui.checkbox(&mut on, &block.name).changed() {
                if on {
                    draft.blocks.insert(id);
                } else {
                    draft.blocks.remove(&id);
                }
            }
        }
        if ui.button("+ cease-fire in these blocks").clicked() && !draft.blocks.is_empty() {
            let blocks = draft.blocks.iter().copied().collect();
            draft.clauses.push(Clause::CeaseFire { blocks });
        }
    });
    ui.horizontal(|ui| {
        ui.label("found an alliance: id");
        ui.add(egui::TextEdit::singleline(&mut draft.alliance_key).desired_width(90.0));
        ui.label("name");
        ui.add(egui::TextEdit::singleline(&mut draft.alliance_name).desired_width(140.0));
        if ui.button("+ found").clicked() && !draft.alliance_key.is_empty() {
            draft.clauses.push(Clause::FormAlliance {
                key: draft.alliance_key.clone(),
                name: draft.alliance_name.clone(),
            });
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("join:");
        for (i, a) in state.diplomacy.alliances.iter().enumerate() {
            if a.dissolved.is_some() {
                continue;
            }
            let id = AllianceId::from_index(i);
            if ui
                .selectable_label(draft.join == Some(id), &a.name)
                .clicked()
            {
                draft.join = Some(id);
            }
        }
        if ui.button("+ join").clicked()
            && let Some(alliance) = draft.join
        {
            draft.clauses.push(Clause::JoinAlliance { alliance });
        }
    });
}
