//! What the player asks of the window — select a fleet, aim it at a sector, confirm, end the
//! turn, answer a choice — as one message type. The map, the keyboard, the panels and the
//! autopilot all send these; one system turns them into orders through the driver's checks,
//! so a test can drive the game with them and no renderer.

use std::path::PathBuf;

use bevy::prelude::*;

use crate::core::diplomacy::Answer;
use crate::core::ids::{FleetId, ProposalId, SectorId};
use crate::core::orders::{Order, OrderRefusal, RoutePreview};

use super::Screen;
use super::playing::{Notice, Phase, Playing};
use super::snapshot::Snapshot;

/// Something the player asks of the game.
#[derive(Message, Clone, Debug, PartialEq)]
pub enum Command {
    /// Select a fleet (or none).
    SelectFleet(Option<FleetId>),
    /// A left click on a sector: selects the player's next fleet there, or the sector itself.
    ClickSector(SectorId),
    /// A right click on a sector: aims the selected fleet there and shows the route; a
    /// second right click on the same sector gives the order.
    Aim(SectorId),
    /// Gives the move that is being previewed.
    ConfirmMove,
    /// Drops the preview.
    CancelAim,
    /// Any order of the seat at hand (hold, patrol, attack, withdraw, assign, build,
    /// diplomacy).
    Give(Order),
    /// Takes back the seat's order at this index.
    Withdraw(usize),
    /// Answers a proposal.
    Answer {
        /// The proposal.
        proposal: ProposalId,
        /// Sign it.
        accept: bool,
    },
    /// Answers an event's choice.
    Choose {
        /// The event.
        event: String,
        /// The option.
        option: String,
    },
    /// The seat at hand ends its turn.
    EndTurn,
    /// The next hotseat player takes the screen.
    TakeOver,
    /// Skips the rest of the turn's playback.
    SkipPlayback,
    /// Goes on to the next chapter of a campaign.
    NextChapter,
    /// Saves the game to a file.
    Save(PathBuf),
    /// Back to the menu.
    ToMenu,
    /// Back to the replay the game branched from.
    ToReplay,
}

/// What the player has in hand on the map.
#[derive(Resource, Default, Debug, Clone, PartialEq)]
pub struct Selection {
    /// The selected fleet.
    pub fleet: Option<FleetId>,
    /// The selected sector (a shipyard to build at, a place to look at).
    pub sector: Option<SectorId>,
    /// The sector the selected fleet is aimed at, and its route; or why it cannot go.
    pub aim: Option<(SectorId, Result<RoutePreview, OrderRefusal>)>,
}

/// Turns the player's commands into orders and steps of the turn.
pub(super) fn apply_commands(
    mut commands: MessageReader<Command>,
    playing: Option<ResMut<Playing>>,
    snapshot: Option<Res<Snapshot>>,
    mut selection: ResMut<Selection>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Some(mut playing) = playing else {
        commands.clear();
        return;
    };
    for command in commands.read() {
        match command.clone() {
            Command::SelectFleet(fleet) => {
                selection.fleet = fleet;
                selection.aim = None;
            }
            Command::ClickSector(sector) => {
                selection.sector = Some(sector);
                selection.aim = None;
                let mine = playing.seat_at_hand();
                if let (Some(me), Some(snapshot)) = (mine, snapshot.as_deref()) {
                    selection.fleet = snapshot.next_fleet_at(sector, me, selection.fleet);
                }
            }
            Command::Aim(sector) => aim(&mut playing, &mut selection, sector),
            Command::ConfirmMove => confirm(&mut playing, &mut selection),
            Command::CancelAim => selection.aim = None,
            Command::Give(order) => {
                let at = order_place(&order, snapshot.as_deref());
                playing.give(order, at);
            }
            Command::Withdraw(index) => {
                playing.withdraw(index);
            }
            Command::Answer { proposal, accept } => {
                let answer = if accept {
                    Answer::Accept
                } else {
                    Answer::Refuse(vec![crate::core::diplomacy::RefusalReason::Declined])
                };
                playing.give(Order::Answer { proposal, answer }, None);
            }
            Command::Choose { event, option } => {
                playing.give(Order::Choose { event, option }, None);
            }
            Command::EndTurn => {
                selection.aim = None;
                playing.end_turn();
            }
            Command::TakeOver => playing.take_over(),
            Command::SkipPlayback => playing.end_playback(),
            Command::NextChapter => {
                if playing.next_chapter() {
                    next.set(Screen::Game);
                }
            }
            Command::Save(path) => {
                let result = playing.save(&path);
                playing.notice = Some(match result {
                    Ok(()) => Notice {
                        at: None,
                        text: format!("saved to `{}`", path.display()),
                        refused: false,
                        reason: None,
                    },
                    Err(e) => Notice {
                        at: None,
                        text: format!("not saved: {e}"),
                        refused: true,
                        reason: None,
                    },
                });
            }
            Command::ToMenu => next.set(Screen::Menu),
            Command::ToReplay => {
                if playing.branch_file.is_some() {
                    next.set(Screen::Viewer);
                }
            }
        }
    }
    if playing.phase == Phase::Ended {
        selection.aim = None;
    }
}

/// Aims the selected fleet at a sector; aiming twice at the same sector gives the order.
fn aim(playing: &mut Playing, selection: &mut Selection, sector: SectorId) {
    let Some(fleet) = selection.fleet else {
        selection.sector = Some(sector);
        return;
    };
    if matches!(&selection.aim, Some((s, Ok(_))) if *s == sector) {
        confirm(playing, selection);
        return;
    }
    let Some(driver) = playing.driver() else {
        return;
    };
    selection.aim = Some((sector, driver.route(fleet, sector)));
}

/// Gives the previewed move.
fn confirm(playing: &mut Playing, selection: &mut Selection) {
    let (Some(fleet), Some((sector, Ok(preview)))) = (selection.fleet, selection.aim.clone())
    else {
        return;
    };
    let order = Order::Move {
        fleet,
        route: preview.path,
    };
    if playing.give(order, Some(sector)) {
        selection.aim = None;
    }
}

/// Where on the map an order is about, to show what came of it there.
fn order_place(order: &Order, snapshot: Option<&Snapshot>) -> Option<SectorId> {
    match order {
        Order::Build { sector, .. } => Some(*sector),
        Order::Patrol { stations, .. } => Some(stations[1]),
        Order::Move { route, .. } => route.last().copied(),
        _ => order
            .fleet()
            .and_then(|f| snapshot.and_then(|s| s.fleet(f)).map(|f| f.sector)),
    }
}
