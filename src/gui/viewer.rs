//! The replay viewer: a recorded game shown turn by turn on the map — play, pause, step,
//! step back, jump to a turn or a month — every turn verified against its recording as it is
//! first shown, a divergence told as the command line tells it; and at any turn, taking the
//! helm of a faction to play on from exactly that world, the branch recorded as a replay of
//! its own. Back in the viewer, another turn or faction can be taken.

use std::path::{Path, PathBuf};

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::chronicle::Chronicle;
use crate::cli::replay::{open_replay, parting_message};
use crate::cli::seat::branch_path;
use crate::core::calendar::Date;
use crate::core::ids::FactionId;
use crate::core::seat::Seat;
use crate::core::state::WorldState;
use crate::driver::Driver;
use crate::record::replay::{Branch, Replay};
use crate::session::{ChapterStart, Session};

use super::panels::root_ui;
use super::playing::{Origin, Playing, plain};
use super::snapshot::Snapshot;
use super::{GuiSystems, Screen};

/// What a place in the replay is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    /// A chapter begins: its world as its scenario sets it up.
    Opening,
    /// A turn has been played: its month's events, and the world after them.
    Turn {
        /// The turn within its chapter.
        turn: u32,
        /// Its month.
        date: Date,
        /// Whether it ended the chapter.
        last: bool,
    },
}

/// One place in the replay as the viewer shows it: a chapter's opening, or the world after a
/// turn.
#[derive(Clone, Debug)]
pub struct Shown {
    /// The chapter, from 0.
    pub chapter: usize,
    /// How many of the replay's turns have been played to reach it.
    pub played: usize,
    /// What it is.
    pub moment: Moment,
    /// The world.
    pub world: WorldState,
    /// The story: the turn's lines, or the chapter's briefing.
    pub story: Vec<String>,
    /// Every line of the turn's log.
    pub log: Vec<String>,
}

impl Shown {
    /// The month whose orders come next: the month the world stands at, as the game screen
    /// dates it. A turn that ended its chapter is dated by itself.
    pub fn month(&self) -> Date {
        match self.moment {
            Moment::Opening => self.world.calendar.start,
            Moment::Turn {
                date, last: true, ..
            } => date,
            Moment::Turn { .. } => self.world.calendar.date(),
        }
    }
}

/// A replay being watched.
#[derive(Resource)]
pub struct Viewer {
    /// The replay.
    pub recorded: Replay,
    /// Its file.
    pub path: PathBuf,
    /// The mod folders it is played with.
    pub mods: Vec<PathBuf>,
    driver: Driver,
    chapters: Vec<ChapterStart>,
    /// Every place verified so far, in order; the first is the first chapter's opening.
    shown: Vec<Shown>,
    /// The place shown, an index into `shown`.
    pub at: usize,
    /// Whether it plays on by itself.
    pub playing: bool,
    /// Seconds since the last step while playing.
    clock: f32,
    /// Where the replay parted from its recording, as the command line says it.
    pub parting: Option<String>,
    /// Bumped whenever the world shown changes.
    pub generation: u64,
}

impl Viewer {
    /// Opens a replay: reads it, checks it is of the content as it is now, and shows its start.
    pub fn open(path: &Path, mods: &[PathBuf]) -> Result<Self, String> {
        let (recorded, opened) =
            open_replay(path, mods).map_err(|f| super::plain_text(&f.to_string()))?;
        let chapters = opened.session.chapters().to_vec();
        let driver = Driver::new(opened.session, recorded.seats.clone());
        let mut viewer = Self {
            recorded,
            path: path.to_path_buf(),
            mods: mods.to_vec(),
            driver,
            chapters,
            shown: Vec::new(),
            at: 0,
            playing: false,
            clock: 0.0,
            parting: None,
            generation: 1,
        };
        viewer.push_opening();
        Ok(viewer)
    }

    fn push_opening(&mut self) {
        let world = self.driver.game().state();
        let session = self.driver.session();
        let calendar = &world.calendar;
        let mut story = vec![format!(
            "Chapter {} of {}: {}, {} to {}.",
            session.chapter() + 1,
            session.chapter_count(),
            world.scenario.title,
            calendar.start,
            calendar.date_of(calendar.last_turn)
        )];
        let chronicle = Chronicle::new(self.driver.game().world());
        for g in &world.scenario.goals {
            let objectives: Vec<String> = g
                .objectives
                .iter()
                .map(|o| chronicle.objective(o))
                .collect();
            story.push(plain(format!(
                "{} must {}.",
                chronicle.faction(g.faction),
                objectives.join("; ")
            )));
        }
        self.shown.push(Shown {
            chapter: session.chapter(),
            played: self.played(),
            moment: Moment::Opening,
            world,
            story,
            log: Vec::new(),
        });
    }

    /// How many turns of the replay have been verified.
    fn played(&self) -> usize {
        self.shown.last().map_or(0, |s| s.played)
    }

    /// How many turns the replay has.
    pub fn len(&self) -> usize {
        self.recorded.turns.len()
    }

    /// Whether the replay has no turns.
    pub fn is_empty(&self) -> bool {
        self.recorded.turns.is_empty()
    }

    /// The place shown.
    pub fn shown(&self) -> &Shown {
        &self.shown[self.at]
    }

    /// The world shown.
    pub fn world(&self) -> &WorldState {
        &self.shown().world
    }

    /// How many places have been verified so far.
    pub fn verified(&self) -> usize {
        self.shown.len()
    }

    /// Shows the next place (the next turn, or the next chapter's opening), verifying the turn
    /// against the recording if it is shown for the first time. False at the end, or where the
    /// replay parts from its recording.
    pub fn step(&mut self) -> bool {
        if self.at + 1 < self.shown.len() {
            self.at += 1;
            self.generation += 1;
            return true;
        }
        let played = self.played();
        if self.parting.is_some() || played >= self.len() {
            self.playing = false;
            return false;
        }
        if self.driver.chapter_over() {
            if !self.driver.next_chapter() {
                self.playing = false;
                return false;
            }
            self.push_opening();
        } else {
            let record = self.recorded.turns[played].clone();
            let turn = match self.driver.replay_turn(&record) {
                Ok(turn) => turn,
                Err(e) => {
                    self.parting = Some(format!("the replay parts from its recording: {e}"));
                    self.playing = false;
                    return false;
                }
            };
            if let Some(parting) = &turn.parting {
                self.parting = Some(parting_message(&self.driver, &record, &turn, parting));
                self.playing = false;
                return false;
            }
            let chronicle = Chronicle::new(self.driver.game().world());
            let events = &turn.played.report.events;
            self.shown.push(Shown {
                chapter: self.driver.session().chapter(),
                played: played + 1,
                moment: Moment::Turn {
                    turn: turn.played.report.turn,
                    date: turn.played.report.date,
                    last: self.driver.chapter_over(),
                },
                world: self.driver.game().state(),
                story: events
                    .iter()
                    .filter_map(|e| chronicle.story(e))
                    .map(plain)
                    .collect(),
                log: events.iter().map(|e| plain(chronicle.event(e))).collect(),
            });
        }
        self.at += 1;
        self.generation += 1;
        true
    }

    /// Shows the place before.
    pub fn back(&mut self) {
        if self.at > 0 {
            self.at -= 1;
            self.generation += 1;
        }
    }

    /// Shows the place at this index, verifying as far as needed (or as far as the replay
    /// verifies).
    fn go(&mut self, index: usize) {
        if index < self.shown.len() {
            if self.at != index {
                self.at = index;
                self.generation += 1;
            }
            return;
        }
        self.at = self.shown.len() - 1;
        while self.at < index && self.step() {}
    }

    /// Shows the first place that satisfies `wanted`, verifying as far as needed; the last
    /// place verified when none does.
    fn seek(&mut self, wanted: impl Fn(&Shown) -> bool) {
        loop {
            if let Some(i) = self.shown.iter().position(&wanted) {
                self.go(i);
                return;
            }
            let end = self.shown.len();
            self.go(end);
            if self.shown.len() == end {
                return;
            }
        }
    }

    /// Shows the world after `n` of the replay's turns, counted across chapters (0: the
    /// start).
    pub fn jump_to(&mut self, n: usize) {
        let n = n.min(self.len());
        self.seek(|s| s.played == n);
    }

    /// Shows the world as a month begins: the chapter's opening or the turn before it (or the
    /// first place after it, for a month no turn of the replay reaches).
    pub fn jump_to_date(&mut self, date: Date) {
        self.seek(|s| s.month() >= date);
    }

    /// Shows the end of what the replay verifies.
    pub fn jump_to_end(&mut self) {
        self.seek(|_| false);
    }

    /// Plays on from the world shown, `faction` given to a person and the other seats as
    /// recorded; the branch is recorded beside the replay. The viewer stays as it is.
    pub fn take_helm(&self, faction: &str) -> Result<Playing, String> {
        let shown = self.shown();
        let world = shown.world.clone();
        if !world
            .factions
            .iter()
            .any(|f| f.key == faction && f.defeated.is_none())
        {
            return Err(format!("there is no `{faction}` to play at this point"));
        }
        let mut seats = self.recorded.seats.clone();
        seats.taken.insert(faction.to_owned(), Seat::Person);
        let session = Session::resume(self.chapters.clone(), shown.chapter, world.clone());
        let branch = Replay {
            turns: self.recorded.turns[..shown.played].to_vec(),
            branch: Some(Branch {
                from_hash: world.hash().to_string(),
                after_turns: shown.played as u32,
            }),
            ..self.recorded.clone()
        };
        let driver = Driver::new(session, seats).record_into(branch);
        let mut playing = Playing::new(
            driver,
            Origin {
                play: self.recorded.play.clone(),
                seed: self.recorded.seed,
                mods: self.recorded.mods.clone(),
            },
        );
        playing.branch_file = Some(branch_path(&self.path, faction, shown.played as u32));
        Ok(playing)
    }
}

/// Where the viewer's own panels keep their fields.
#[derive(Resource, Default)]
struct ViewerInput {
    turn: String,
    date: String,
    faction: String,
    full_log: bool,
    error: Option<String>,
}

/// The viewer's logic: playing on by itself, and the map following the turn shown.
pub(super) fn logic(app: &mut App) {
    app.add_systems(
        Update,
        (play, show)
            .chain()
            .in_set(GuiSystems::Refresh)
            .run_if(in_state(Screen::Viewer).and_then(resource_exists::<Viewer>)),
    )
    .add_systems(OnExit(Screen::Viewer), |mut commands: Commands| {
        // The game taken from it (or the menu) shows its own world.
        commands.remove_resource::<Snapshot>();
    });
}

/// The viewer's panels.
pub(super) fn view(app: &mut App) {
    app.init_resource::<ViewerInput>().add_systems(
        EguiPrimaryContextPass,
        panels.run_if(in_state(Screen::Viewer).and_then(resource_exists::<Viewer>)),
    );
}

/// Seconds a turn is shown for while the replay plays.
const PACE: f32 = 1.0;

fn play(time: Res<Time>, mut viewer: ResMut<Viewer>) {
    if !viewer.playing {
        return;
    }
    viewer.clock += time.delta_secs();
    if viewer.clock >= PACE {
        viewer.clock = 0.0;
        if !viewer.step() {
            viewer.playing = false;
        }
    }
}

/// The map shows the world of the turn shown.
fn show(mut commands: Commands, viewer: Res<Viewer>, snapshot: Option<Res<Snapshot>>) {
    if snapshot.is_some_and(|s| s.generation == viewer.generation) {
        return;
    }
    commands.insert_resource(Snapshot::new(
        viewer.world().clone(),
        viewer.generation,
        viewer.shown().chapter,
    ));
}

/// Where the place shown stands, in words: the chapter, the month, how far into the replay.
fn heading(viewer: &Viewer) -> (String, String) {
    let shown = viewer.shown();
    let world = &shown.world;
    let chapters = viewer.chapters.len();
    let title = if chapters > 1 {
        format!(
            "{} (chapter {} of {chapters})",
            world.scenario.title,
            shown.chapter + 1
        )
    } else {
        world.scenario.title.clone()
    };
    let place = match shown.moment {
        Moment::Opening => format!("the chapter opens, {}", world.calendar.start),
        Moment::Turn {
            date, last: true, ..
        } => format!("the chapter has ended, after {date}"),
        Moment::Turn { turn, date, .. } => format!(
            "{} begins (turn {} of {}); last month {date}",
            world.calendar.date(),
            turn + 1,
            world.calendar.last_turn
        ),
    };
    (
        title,
        format!(
            "{place} — {} of the replay's {} turns played",
            shown.played,
            viewer.len()
        ),
    )
}

#[expect(
    clippy::too_many_arguments,
    reason = "the viewer's panels drive the viewer, the helm and the screens"
)]
fn panels(
    mut contexts: EguiContexts,
    mut commands: Commands,
    mut viewer: ResMut<Viewer>,
    mut input: ResMut<ViewerInput>,
    mut next: ResMut<NextState<Screen>>,
    mut cover: ResMut<super::map::UiCover>,
    snapshot: Option<Res<Snapshot>>,
    pointer: Res<super::map::Pointer>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let mut root = root_ui(ctx, "viewer");
    let mut covered = Vec::new();
    let (title, place) = heading(&viewer);
    let world = viewer.world();
    let factions: Vec<(String, String)> = world
        .factions
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            f.defeated.is_none() && world.scenario.playable.contains(&FactionId::from_index(*i))
        })
        .map(|(_, f)| (f.key.clone(), f.name.clone()))
        .collect();
    if !factions.iter().any(|(k, _)| *k == input.faction) {
        input.faction.clear();
    }
    let top = egui::Panel::top("viewer_top").show(&mut root, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.strong(&title);
            ui.label(&place);
        });
        ui.horizontal_wrapped(|ui| {
            if ui.button("|<").on_hover_text("the start").clicked() {
                viewer.jump_to(0);
            }
            if ui.button("<").on_hover_text("back").clicked() {
                viewer.back();
            }
            let label = if viewer.playing { "Pause" } else { "Play" };
            if ui.button(label).clicked() {
                viewer.playing = !viewer.playing;
            }
            if ui.button(">").on_hover_text("on").clicked() {
                viewer.step();
            }
            if ui.button(">|").on_hover_text("the end").clicked() {
                viewer.jump_to_end();
            }
            ui.separator();
            ui.label("after turn");
            ui.add(egui::TextEdit::singleline(&mut input.turn).desired_width(36.0));
            if ui.button("Go").on_hover_text("turns counted across chapters").clicked() {
                match input.turn.trim().parse::<usize>() {
                    Ok(n) => viewer.jump_to(n),
                    Err(_) => input.error = Some("a turn is a number, like 12".into()),
                }
            }
            ui.label("month");
            ui.add(egui::TextEdit::singleline(&mut input.date).desired_width(60.0));
            if ui.button("Go").on_hover_text("the world as the month begins").clicked() {
                match parse_date(&input.date) {
                    Some(d) => viewer.jump_to_date(d),
                    None => input.error = Some("a month is written like 2410-03".into()),
                }
            }
            ui.separator();
            if ui.button("Menu").clicked() {
                next.set(Screen::Menu);
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label("Take the helm as");
            egui::ComboBox::from_id_salt("helm")
                .selected_text(
                    factions
                        .iter()
                        .find(|(k, _)| *k == input.faction)
                        .map_or("a faction", |(_, n)| n.as_str()),
                )
                .show_ui(ui, |ui| {
                    for (key, name) in &factions {
                        ui.selectable_value(&mut input.faction, key.clone(), name);
                    }
                });
            if ui
                .add_enabled(!input.faction.is_empty(), egui::Button::new("Take the helm"))
                .on_hover_text(
                    "play on from the world shown; the other seats play as recorded, and the branch is recorded beside the replay",
                )
                .clicked()
            {
                match viewer.take_helm(&input.faction) {
                    Ok(playing) => {
                        viewer.playing = false;
                        commands.insert_resource(playing);
                        next.set(Screen::Game);
                    }
                    Err(e) => input.error = Some(e),
                }
            }
        });
    });
    covered.push(super::panels::rect(top.response.rect));
    let left = egui::Panel::left("viewer_story")
        .resizable(false)
        .exact_size(super::map::PANELS.0)
        .show(&mut root, |ui| {
            let shown = viewer.shown();
            ui.horizontal(|ui| {
                let heading = match shown.moment {
                    Moment::Opening => "The chapter".to_owned(),
                    Moment::Turn { date, .. } if input.full_log => format!("{date}: the log"),
                    Moment::Turn { date, .. } => format!("{date}: the story"),
                };
                ui.strong(heading);
                if matches!(shown.moment, Moment::Turn { .. }) {
                    ui.checkbox(&mut input.full_log, "full log");
                }
            });
            egui::ScrollArea::vertical()
                .max_height(ui.available_height() * 0.6)
                .show(ui, |ui| {
                    let lines = if input.full_log && !shown.log.is_empty() {
                        &shown.log
                    } else {
                        &shown.story
                    };
                    if lines.is_empty() {
                        ui.small("nothing of note this month");
                    }
                    for line in lines {
                        ui.label(line);
                        ui.add_space(4.0);
                    }
                });
            ui.separator();
            alliances(ui, &shown.world);
        });
    covered.push(super::panels::rect(left.response.rect));
    if let Some(parting) = viewer.parting.clone() {
        egui::Window::new("The replay parts from its recording")
            .anchor(egui::Align2::CENTER_BOTTOM, [0.0, -20.0])
            .show(ctx, |ui| {
                ui.colored_label(egui::Color32::from_rgb(255, 120, 110), parting);
            });
    }
    if let Some(error) = input.error.clone() {
        egui::Window::new("Viewer")
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label(&error);
                if ui.button("OK").clicked() {
                    input.error = None;
                }
            });
    }
    if let Some(snapshot) = snapshot.as_deref() {
        super::panels::pointer_tooltip(ctx, &pointer, snapshot);
    }
    cover.0 = covered;
    Ok(())
}

/// The alliances of the world shown, each member in its map colour; and the wars, with the
/// blocks where a cease-fire holds.
fn alliances(ui: &mut egui::Ui, world: &WorldState) {
    let swatch = |ui: &mut egui::Ui, f: FactionId| {
        let faction = &world.factions[f.index()];
        let [r, g, b] = faction.colour;
        ui.colored_label(egui::Color32::from_rgb(r, g, b), "■");
        ui.label(&faction.name);
    };
    ui.strong("Alliances");
    let mut any = false;
    for a in world
        .diplomacy
        .alliances
        .iter()
        .filter(|a| a.dissolved.is_none())
    {
        any = true;
        ui.label(&a.name);
        ui.horizontal_wrapped(|ui| {
            for &m in &a.members {
                swatch(ui, m);
            }
        });
    }
    if !any {
        ui.small("none");
    }
    let truces = world.diplomacy.ceasefire_blocks();
    if !truces.is_empty() {
        ui.add_space(4.0);
        ui.strong("Cease-fires (cyan borders)");
        for (block, pairs) in &truces {
            for (x, y) in pairs {
                ui.small(format!(
                    "{}: {} / {}",
                    world.blocks[block.index()].name,
                    world.factions[x.index()].name,
                    world.factions[y.index()].name
                ));
            }
        }
    }
}

/// A month written `2410-03`.
pub(super) fn parse_date(text: &str) -> Option<Date> {
    let (y, m) = text.trim().split_once('-')?;
    let (y, m) = (y.parse().ok()?, m.parse().ok()?);
    (1..=12).contains(&m).then(|| Date::new(y, m))
}
