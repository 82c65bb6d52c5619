//! The result of a chapter: how it ended and who won (and who played them), every faction's
//! objectives met and missed; for a campaign, the next chapter and what it carries over.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::chronicle::Chronicle;
use crate::core::events::Decision;
use crate::session::Carry;

use super::Screen;
use super::command::Command;
use super::panels::root_ui;
use super::playing::Playing;
use super::snapshot::Snapshot;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        result.run_if(in_state(Screen::Result).and_then(resource_exists::<Playing>)),
    );
}

fn decision_text(d: Decision) -> &'static str {
    match d {
        Decision::ObjectivesMet => "objectives met",
        Decision::LastStanding => "last standing",
        Decision::TimeRanOut => "time ran out",
        Decision::Scripted => "the story ended it",
    }
}

fn result(
    mut contexts: EguiContexts,
    playing: Res<Playing>,
    snapshot: Option<Res<Snapshot>>,
    mut out: MessageWriter<Command>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let (Some(driver), Some(snapshot)) = (playing.driver(), snapshot) else {
        return Ok(());
    };
    let state = &snapshot.state;
    let chronicle = Chronicle::new(driver.game().world());
    let mut root = root_ui(ctx, "result");
    egui::CentralPanel::default().show(&mut root, |ui| {
        ui.heading(format!("{} — the result", state.scenario.title));
        match &state.scenario.outcome {
            Some(o) => {
                let winners: Vec<String> = o
                    .winners
                    .iter()
                    .map(|&f| format!("{} ({})", chronicle.faction(f), driver.seat(f)))
                    .collect();
                ui.label(format!(
                    "Ended on turn {} ({}).",
                    o.turn,
                    decision_text(o.decision)
                ));
                if let Some(note) = &o.note {
                    ui.label(note);
                }
                if winners.is_empty() {
                    ui.strong("No one won.");
                } else {
                    ui.strong(format!("Won by {}.", winners.join(", ")));
                }
                for f in driver
                    .game()
                    .factions()
                    .filter(|&f| driver.seat(f).is_person())
                {
                    let (verdict, colour) = if o.winners.contains(&f) {
                        ("you won", egui::Color32::LIGHT_GREEN)
                    } else {
                        ("you did not win", egui::Color32::from_rgb(255, 140, 120))
                    };
                    ui.colored_label(colour, format!("{}: {verdict}", chronicle.faction(f)));
                }
            }
            None => {
                ui.label("The game goes on.");
            }
        }
        ui.separator();
        ui.heading("Objectives");
        for g in &state.scenario.goals {
            ui.strong(format!(
                "{} ({})",
                chronicle.faction(g.faction),
                driver.seat(g.faction)
            ));
            for (i, met) in snapshot.objectives_met(g.faction) {
                let (mark, colour) = if met {
                    ("met", egui::Color32::LIGHT_GREEN)
                } else {
                    ("missed", egui::Color32::from_rgb(255, 140, 120))
                };
                ui.colored_label(
                    colour,
                    format!("  {mark}: {}", chronicle.objective(&g.objectives[i])),
                );
            }
        }
        ui.separator();
        let session = driver.session();
        let next = session.chapter() + 1;
        if let Some(chapter) = session.chapters().get(next) {
            let carry: Vec<&str> = chapter
                .carry
                .iter()
                .map(|c| match c {
                    Carry::Fleets => "surviving fleets",
                    Carry::Relations => "relations and alliances",
                    Carry::Flags => "what has come to pass",
                })
                .collect();
            ui.label(format!(
                "Next, chapter {} of {}: {}. It carries over {}.",
                next + 1,
                session.chapter_count(),
                chapter.world.scenario.title,
                if carry.is_empty() {
                    "nothing".to_owned()
                } else {
                    carry.join(", ")
                }
            ));
            if ui.button("Next chapter").clicked() {
                out.write(Command::NextChapter);
            }
        }
        if playing.branch_file.is_some() && ui.button("Back to the replay").clicked() {
            out.write(Command::ToReplay);
        }
        if ui.button("Back to the menu").clicked() {
            out.write(Command::ToMenu);
        }
    });
    Ok(())
}
