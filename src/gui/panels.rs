//! The panels around the map: the top bar (the date, whose turn it is, diplomacy, save, end
//! turn), the selected fleet or sector with the orders it can take, the orders given this turn
//! (each can be withdrawn), the decisions waiting (proposals, choices), the turn log with its
//! filters; and the pop-ups: a scripted message with its source, the hand-over between
//! hotseat players, the AI at work, the turn playing out, a refusal where it was given, the
//! tooltip of the sector under the pointer.

use std::collections::BTreeSet;

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use crate::chronicle::Chronicle;
use crate::core::diplomacy::Stance;
use crate::core::fleet::Assignment;
use crate::core::galaxy::Galaxy;
use crate::core::ids::{FactionId, SectorId};
use crate::core::orders::{Decision, Order};
use crate::core::state::FleetState;
use crate::driver::Driver;

use super::Screen;
use super::command::{Command, Selection};
use super::diplomacy::DiplomacyOpen;
use super::layout::MapLayout;
use super::map::{MapCamera, PANELS, Pointer, UiCover};
use super::playback::Playback;
use super::playing::{LogKind, Phase, Playing, default_save_path};
use super::snapshot::Snapshot;

/// What the panels remember between frames.
#[derive(Resource)]
pub(super) struct PanelState {
    /// The log's shown kinds.
    pub shown: BTreeSet<LogKindKey>,
    /// Only the last turn in the log.
    pub last_turn_only: bool,
    /// How many scripted messages have been read.
    pub read: usize,
    /// The strength of the fleet to build.
    pub build: u32,
    /// Where to save.
    pub save_path: String,
}

/// A log kind as an ordered key.
pub(super) type LogKindKey = u8;

fn key(kind: LogKind) -> LogKindKey {
    kind as u8
}

const KINDS: [(LogKind, &str); 5] = [
    (LogKind::Story, "story"),
    (LogKind::War, "battles and moves"),
    (LogKind::Diplomacy, "diplomacy"),
    (LogKind::Economy, "economy"),
    (LogKind::Refusal, "refusals"),
];

impl Default for PanelState {
    fn default() -> Self {
        Self {
            shown: KINDS.iter().map(|(k, _)| key(*k)).collect(),
            last_turn_only: true,
            read: 0,
            build: 5,
            save_path: default_save_path().display().to_string(),
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<PanelState>()
        .add_systems(OnEnter(Screen::Menu), |mut s: ResMut<PanelState>| {
            *s = PanelState::default();
        })
        .add_systems(
            EguiPrimaryContextPass,
            game_ui.run_if(in_state(Screen::Game).and_then(resource_exists::<Playing>)),
        );
}

/// A `Ui` over the whole window, to put panels in.
pub(super) fn root_ui(ctx: &egui::Context, id: &'static str) -> egui::Ui {
    egui::Ui::new(
        ctx.clone(),
        id.into(),
        egui::UiBuilder::new()
            .layer_id(egui::LayerId::background())
            .max_rect(ctx.viewport_rect()),
    )
}

pub(super) fn rect(r: egui::Rect) -> Rect {
    Rect::new(r.min.x, r.min.y, r.max.x, r.max.y)
}

/// What the game screen's panels read and write.
#[derive(bevy::ecs::system::SystemParam)]
pub(super) struct GameUi<'w, 's> {
    playing: Res<'w, Playing>,
    snapshot: Option<Res<'w, Snapshot>>,
    selection: Res<'w, Selection>,
    pointer: Res<'w, Pointer>,
    layout: Option<Res<'w, MapLayout>>,
    playback: Option<Res<'w, Playback>>,
    camera: Query<'w, 's, (&'static Camera, &'static GlobalTransform), With<MapCamera>>,
    state: ResMut<'w, PanelState>,
    cover: ResMut<'w, UiCover>,
    diplomacy: ResMut<'w, DiplomacyOpen>,
    out: MessageWriter<'w, Command>,
}

fn game_ui(mut contexts: EguiContexts, mut params: GameUi) -> Result {
    let ctx = contexts.ctx_mut()?;
    draw_game(ctx, &mut params);
    Ok(())
}

/// An egui context of its own, with no window: the panels' work measured or tested without a
/// renderer.
#[derive(Resource, Default)]
pub struct HeadlessEgui(pub egui::Context);

/// The game screen's panels drawn into a [`HeadlessEgui`].
pub(super) fn headless_game_ui(ui: Res<HeadlessEgui>, mut params: GameUi) {
    let ctx = ui.0.clone();
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..default()
    };
    let _ = ctx.run_ui(input, |ui| draw_game(&ui.ctx().clone(), &mut params));
}

/// Draws the game screen's panels.
fn draw_game(ctx: &egui::Context, params: &mut GameUi) {
    let GameUi {
        playing,
        snapshot,
        selection,
        pointer,
        layout,
        playback,
        camera,
        state,
        cover,
        diplomacy,
        out,
    } = params;
    let Some(snapshot) = snapshot.as_deref() else {
        return;
    };
    let mut root = root_ui(ctx, "game");
    let mut covered = Vec::new();
    let seat = playing.seat_at_hand();
    let driver = playing.driver();

    // The top bar.
    let top = egui::Panel::top("top").show(&mut root, |ui| {
        ui.horizontal_wrapped(|ui| {
            let s = &snapshot.state;
            ui.strong(&s.scenario.title);
            if let Some(d) = driver
                && d.session().chapter_count() > 1
            {
                ui.label(format!(
                    "chapter {} of {}",
                    d.session().chapter() + 1,
                    d.session().chapter_count()
                ));
            }
            ui.label(format!(
                "turn {} of {}, {}",
                s.calendar.turn,
                s.calendar.last_turn,
                s.calendar.date_of(s.calendar.turn)
            ));
            ui.separator();
            match &playing.phase {
                Phase::Orders(f) => {
                    ui.colored_label(
                        egui::Color32::LIGHT_GREEN,
                        format!("{}: your orders", snapshot.faction_name(*f)),
                    );
                }
                Phase::Handover(f) => {
                    ui.label(format!("pass the screen to {}", snapshot.faction_name(*f)));
                }
                Phase::Resolving => {
                    ui.label("the AI is planning; the turn is being resolved…");
                }
                Phase::Playback => {
                    ui.label("the turn plays out");
                }
                Phase::Ended => {
                    ui.label("the chapter has ended");
                }
            }
            ui.separator();
            if ui.button("Diplomacy").clicked() {
                diplomacy.0 = !diplomacy.0;
            }
            ui.label("save to");
            ui.add(egui::TextEdit::singleline(&mut state.save_path).desired_width(120.0));
            if ui.button("Save").clicked() {
                out.write(Command::Save(state.save_path.clone().into()));
            }
            if ui.button("Menu").clicked() {
                out.write(Command::ToMenu);
            }
            if playing.branch_file.is_some()
                && ui
                    .button("Back to the replay")
                    .on_hover_text("the branch is recorded after every turn")
                    .clicked()
            {
                out.write(Command::ToReplay);
            }
            let can_end = seat.is_some();
            if ui
                .add_enabled(can_end, egui::Button::new("End turn (Enter)"))
                .clicked()
            {
                out.write(Command::EndTurn);
            }
        });
    });
    covered.push(rect(top.response.rect));

    // The log.
    let bottom = egui::Panel::bottom("log")
        .resizable(false)
        .exact_size(PANELS.2)
        .show(&mut root, |ui| log_panel(ui, playing, state));
    covered.push(rect(bottom.response.rect));

    // The selected fleet or sector, the orders, the decisions.
    let left = egui::Panel::left("orders")
        .resizable(false)
        .exact_size(PANELS.0)
        .show(&mut root, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                if let (Some(driver), Some(me)) = (driver, seat) {
                    selected_panel(ui, driver, me, snapshot, selection, state, out);
                    ui.separator();
                    orders_panel(ui, driver, me, out);
                    ui.separator();
                    decisions_panel(ui, driver, me, out);
                } else {
                    ui.label("Orders are given when your turn comes.");
                }
                ui.separator();
                ui.small(
                    "Left click: select a fleet (again: the next one there). Right click: aim it; \
                     right click again or Space: order the move. H: hold. W: withdraw. \
                     Esc: drop the aim. Enter: end the turn. Drag or arrow keys: pan. Wheel: zoom.",
                );
            });
        });
    covered.push(rect(left.response.rect));

    // A scripted message not yet read.
    if let Some(d) = playing.dispatches.get(state.read)
        && playing.phase != Phase::Resolving
    {
        let window = egui::Window::new("Dispatch")
            .collapsible(false)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
            .show(ctx, |ui| {
                ui.set_max_width(460.0);
                ui.label(&d.text);
                if let Some(source) = &d.source {
                    ui.small(format!("— {source}"));
                }
                if ui.button("Read").clicked() {
                    state.read += 1;
                }
            });
        if let Some(w) = window {
            covered.push(rect(w.response.rect));
        }
    }

    // A choice an event puts to the player: a pop-up of its own until it is answered.
    if let (Some(driver), Some(me)) = (driver, seat)
        && state.read >= playing.dispatches.len()
    {
        let choice = driver.decisions(me).into_iter().find_map(|d| match d {
            Decision::Choice {
                event,
                prompt,
                options,
                default,
            } => Some((event, prompt, options, default)),
            Decision::Proposal(_) => None,
        });
        if let Some((event, prompt, options, default)) = choice {
            let source = playing
                .dispatches
                .iter()
                .rev()
                .find(|d| d.event == event)
                .and_then(|d| d.source.clone());
            let window = egui::Window::new("A choice")
                .collapsible(false)
                .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
                .show(ctx, |ui| {
                    ui.set_max_width(460.0);
                    ui.label(&prompt);
                    if let Some(source) = source {
                        ui.small(format!("— {source}"));
                    }
                    ui.horizontal_wrapped(|ui| {
                        for (key, text) in options {
                            if ui.button(&text).clicked() {
                                out.write(Command::Choose {
                                    event: event.clone(),
                                    option: key,
                                });
                            }
                        }
                    });
                    ui.small(format!(
                        "unanswered when the turn ends, `{default}` is taken by the scenario's rule"
                    ));
                });
            if let Some(w) = window {
                covered.push(rect(w.response.rect));
            }
        }
    }

    // The phase's own windows.
    let centre = egui::Align2::CENTER_CENTER;
    match &playing.phase {
        Phase::Handover(f) => {
            egui::Window::new("Hand over")
                .collapsible(false)
                .anchor(centre, [0.0, 0.0])
                .show(ctx, |ui| {
                    ui.label(format!(
                        "{} gives its orders next. Pass the screen, then:",
                        snapshot.faction_name(*f)
                    ));
                    if ui.button("Take over (Enter)").clicked() {
                        out.write(Command::TakeOver);
                    }
                });
        }
        Phase::Resolving => {
            egui::Window::new("Resolving")
                .collapsible(false)
                .title_bar(false)
                .anchor(egui::Align2::CENTER_TOP, [0.0, 40.0])
                .show(ctx, |ui| {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("The AI plans its moves and the turn is resolved…");
                    });
                });
        }
        Phase::Playback => {
            let w = egui::Window::new("The turn plays out")
                .collapsible(false)
                .anchor(egui::Align2::RIGHT_TOP, [-10.0, 40.0])
                .show(ctx, |ui| {
                    ui.set_max_width(380.0);
                    if let Some(p) = &playback {
                        for (_, line) in &p.battles {
                            ui.small(line.trim());
                        }
                    }
                    if ui.button("Skip (Space)").clicked() {
                        out.write(Command::SkipPlayback);
                    }
                });
            if let Some(w) = w {
                covered.push(rect(w.response.rect));
            }
        }
        Phase::Orders(_) | Phase::Ended => {}
    }

    // What came of the last order, where it was given.
    if let Some(notice) = &playing.notice {
        let at = notice.at.and_then(|s| {
            let (camera, transform) = camera.single().ok()?;
            let layout = layout.as_ref()?;
            camera
                .world_to_viewport(transform, layout.centre(s).extend(0.0))
                .ok()
        });
        let colour = if notice.refused {
            egui::Color32::from_rgb(255, 120, 110)
        } else {
            egui::Color32::from_rgb(170, 240, 170)
        };
        let area = match at {
            Some(p) => egui::Area::new("notice".into()).fixed_pos([p.x + 18.0, p.y - 10.0]),
            None => {
                egui::Area::new("notice".into()).anchor(egui::Align2::CENTER_BOTTOM, [0.0, -190.0])
            }
        };
        area.order(egui::Order::Foreground).show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(340.0);
                ui.colored_label(colour, &notice.text);
            });
        });
    }

    pointer_tooltip(ctx, pointer, snapshot);
    cover.0 = covered;
}

fn log_panel(ui: &mut egui::Ui, playing: &Playing, state: &mut PanelState) {
    ui.horizontal(|ui| {
        ui.strong("Turn log");
        for (kind, name) in KINDS {
            let mut on = state.shown.contains(&key(kind));
            if ui.checkbox(&mut on, name).changed() {
                if on {
                    state.shown.insert(key(kind));
                } else {
                    state.shown.remove(&key(kind));
                }
            }
        }
        ui.checkbox(&mut state.last_turn_only, "last turn only");
    });
    let last = playing.log.last().map(|l| (l.chapter, l.turn));
    // Only the rows in view are laid out: a long game's log costs nothing per frame.
    let shown: Vec<&super::playing::LogLine> = playing
        .log
        .iter()
        .rev()
        .take_while(|l| !state.last_turn_only || Some((l.chapter, l.turn)) == last)
        .filter(|l| state.shown.contains(&key(l.kind)))
        .collect();
    let row = ui.text_style_height(&egui::TextStyle::Body);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show_rows(ui, row, shown.len(), |ui, rows| {
            for line in rows.map(|i| shown[shown.len() - 1 - i]) {
                let colour = match line.kind {
                    LogKind::Story => egui::Color32::from_rgb(240, 220, 150),
                    LogKind::War => egui::Color32::from_rgb(235, 170, 150),
                    LogKind::Diplomacy => egui::Color32::from_rgb(160, 200, 240),
                    LogKind::Economy => egui::Color32::from_rgb(170, 170, 170),
                    LogKind::Refusal => egui::Color32::from_rgb(255, 120, 110),
                };
                ui.add(
                    egui::Label::new(
                        egui::RichText::new(format!(
                            "{} turn {}  {}",
                            line.date, line.turn, line.text
                        ))
                        .color(colour),
                    )
                    .truncate(),
                );
            }
        });
}

fn selected_panel(
    ui: &mut egui::Ui,
    driver: &Driver,
    me: FactionId,
    snapshot: &Snapshot,
    selection: &Selection,
    state: &mut PanelState,
    out: &mut MessageWriter<Command>,
) {
    let chronicle = Chronicle::new(driver.game().world());
    match selection.fleet.and_then(|f| snapshot.fleet(f)) {
        Some(f) => {
            ui.heading(&f.name);
            ui.label(snapshot.fleet_line(f));
            ui.label(format!(
                "at {}, speed {}; standing order: {}",
                chronicle.sector(f.sector),
                f.speed,
                chronicle.task(&f.task)
            ));
            if f.owner == me {
                fleet_orders(ui, driver, me, snapshot, selection, f, out);
            }
        }
        None => {
            ui.label("No fleet selected: left-click one of yours.");
        }
    }
    if let Some(sector) = selection.sector {
        ui.separator();
        let s = &snapshot.state.sectors[sector.index()];
        ui.strong(chronicle.sector(sector));
        if s.shipyard && s.owner == Some(me) {
            let cost = i64::from(snapshot.state.rules.ship_cost);
            let have = snapshot.state.factions[me.index()].treasury;
            ui.horizontal(|ui| {
                ui.label("Build");
                ui.add(egui::Slider::new(
                    &mut state.build,
                    1..=snapshot.state.rules.shipyard_capacity.max(1),
                ));
                ui.label(format!(
                    "strength: {} industry (saved {have}, income to come)",
                    i64::from(state.build) * cost
                ));
            });
            if ui.button("Build here").clicked() {
                out.write(Command::Give(Order::Build {
                    sector,
                    strength: state.build,
                }));
            }
        }
    }
}

fn fleet_orders(
    ui: &mut egui::Ui,
    driver: &Driver,
    me: FactionId,
    snapshot: &Snapshot,
    selection: &Selection,
    f: &FleetState,
    out: &mut MessageWriter<Command>,
) {
    let chronicle = Chronicle::new(driver.game().world());
    let fleet = f.id;
    match &selection.aim {
        Some((target, Ok(preview))) => {
            ui.label(format!(
                "Route to {}: {} step(s), {} turn(s)",
                chronicle.sector(*target),
                preview.path.len(),
                preview.turns
            ));
            ui.horizontal(|ui| {
                if ui.button("Order the move (Space)").clicked() {
                    out.write(Command::ConfirmMove);
                }
                if ui.button("Patrol between here and there").clicked() {
                    out.write(Command::Give(Order::Patrol {
                        fleet,
                        stations: [f.sector, *target],
                    }));
                }
            });
        }
        Some((target, Err(reason))) => {
            ui.colored_label(
                egui::Color32::from_rgb(255, 120, 110),
                format!(
                    "cannot go to {}: {}",
                    chronicle.sector(*target),
                    chronicle.refusal(reason)
                ),
            );
        }
        None => {
            ui.small("Right-click a sector to aim this fleet there.");
        }
    }
    ui.horizontal(|ui| {
        if ui.button("Hold (H)").clicked() {
            out.write(Command::Give(Order::Hold { fleet }));
        }
        if ui.button("Withdraw (W)").clicked() {
            out.write(Command::Give(Order::Withdraw { fleet }));
        }
    });
    // Enemy fleets within a turn's reach, to attack (one under a cease-fire is refused with
    // that reason when the order is given).
    let galaxy = driver.game().world().resource::<Galaxy>();
    let targets: Vec<&FleetState> = within(galaxy, f.sector, u32::from(f.speed))
        .into_iter()
        .flat_map(|s| snapshot.fleets_at(s))
        .filter(|t| t.owner != me)
        .collect();
    for t in targets {
        let hostile = snapshot.state.diplomacy.stance(me, t.owner) == Stance::War;
        let label = format!("Attack {} ({})", t.name, t.strength);
        if hostile && ui.button(label).clicked() {
            out.write(Command::Give(Order::Attack {
                fleet,
                target: t.id,
            }));
        }
    }
    // Joint commands of the alliances it belongs to.
    for (i, a) in snapshot.state.diplomacy.alliances.iter().enumerate() {
        if a.dissolved.is_some() {
            continue;
        }
        for (k, c) in a.commands.iter().enumerate() {
            if !c.members.contains(&me) {
                continue;
            }
            let assignment = Assignment {
                alliance: crate::core::ids::AllianceId::from_index(i),
                command: k as u16,
            };
            let serving = f.assignment == Some(assignment);
            let label = if serving {
                format!("Leave {}", c.name)
            } else {
                format!("Assign to {}", c.name)
            };
            if ui.button(label).clicked() {
                out.write(Command::Give(Order::Assign {
                    fleet,
                    command: (!serving).then_some(assignment),
                }));
            }
        }
    }
}

/// The sectors within `range` steps of `from` (itself included), nearest first.
fn within(galaxy: &Galaxy, from: SectorId, range: u32) -> Vec<SectorId> {
    let mut seen = vec![from];
    let mut frontier = vec![from];
    for _ in 0..range {
        let mut next = Vec::new();
        for &at in &frontier {
            for s in galaxy.exits(at) {
                if !seen.contains(&s) {
                    seen.push(s);
                    next.push(s);
                }
            }
        }
        frontier = next;
    }
    seen
}

fn orders_panel(
    ui: &mut egui::Ui,
    driver: &Driver,
    me: FactionId,
    out: &mut MessageWriter<Command>,
) {
    let chronicle = Chronicle::new(driver.game().world());
    ui.strong("Orders this turn");
    let orders = driver.orders(me);
    if orders.is_empty() {
        ui.small("none yet: fleets keep their standing orders");
    }
    for (i, order) in orders.iter().enumerate() {
        ui.horizontal(|ui| {
            if ui.small_button("withdraw").clicked() {
                out.write(Command::Withdraw(i));
            }
            ui.label(chronicle.order(order));
        });
    }
}

fn decisions_panel(
    ui: &mut egui::Ui,
    driver: &Driver,
    me: FactionId,
    out: &mut MessageWriter<Command>,
) {
    let chronicle = Chronicle::new(driver.game().world());
    let decisions = driver.decisions(me);
    ui.strong("Waiting for your answer");
    if decisions.is_empty() {
        ui.small("nothing");
    }
    for d in decisions {
        match d {
            Decision::Proposal(p) => {
                let terms: Vec<String> = p.clauses.iter().map(|c| chronicle.clause(c)).collect();
                ui.label(format!(
                    "Proposal #{} from {}: the {} — {}",
                    p.id.0,
                    chronicle.faction(p.from),
                    p.name,
                    terms.join("; ")
                ));
                ui.horizontal(|ui| {
                    if ui.button("Accept").clicked() {
                        out.write(Command::Answer {
                            proposal: p.id,
                            accept: true,
                        });
                    }
                    if ui.button("Decline").clicked() {
                        out.write(Command::Answer {
                            proposal: p.id,
                            accept: false,
                        });
                    }
                });
                ui.small("unanswered when the turn ends, it is refused (no answer)");
            }
            Decision::Choice {
                event,
                prompt,
                options,
                default,
            } => {
                ui.label(&prompt);
                for (key, text) in options {
                    if ui.button(&text).clicked() {
                        out.write(Command::Choose {
                            event: event.clone(),
                            option: key,
                        });
                    }
                }
                ui.small(format!(
                    "unanswered, `{default}` is taken by the scenario's rule"
                ));
            }
        }
    }
}

/// The tooltip of the sector under the pointer, if it is over one.
pub(super) fn pointer_tooltip(ctx: &egui::Context, pointer: &Pointer, snapshot: &Snapshot) {
    if let (Some(sector), Some(at)) = (pointer.sector, pointer.screen) {
        egui::Area::new("tooltip".into())
            .fixed_pos([at.x + 16.0, at.y + 16.0])
            .order(egui::Order::Tooltip)
            .interactable(false)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    sector_tooltip(ui, snapshot, sector);
                });
            });
    }
}

fn sector_tooltip(ui: &mut egui::Ui, snapshot: &Snapshot, sector: SectorId) {
    let lines = snapshot.describe(sector);
    if let Some((first, rest)) = lines.split_first() {
        ui.strong(first);
        for line in rest {
            ui.label(line);
        }
    }
}
