//! The keyboard: Enter ends the turn (or hands the screen to the next hotseat player), Space
//! gives the previewed move or skips the turn's playback, Escape closes the diplomacy screen
//! or else drops the preview, H holds and W withdraws the selected fleet. Part of the logic: it
//! needs no renderer.

use bevy::prelude::*;
use bevy_egui::input::EguiWantsInput;

use crate::core::orders::Order;

use super::command::{Command, Selection};
use super::playing::{Phase, Playing};

/// The keys pressed this frame, as commands.
pub(super) fn keys(
    keys: Option<Res<ButtonInput<KeyCode>>>,
    wants: Option<Res<EguiWantsInput>>,
    playing: Option<Res<Playing>>,
    selection: Res<Selection>,
    // Only where the screens are drawn.
    diplomacy: Option<ResMut<super::DiplomacyOpen>>,
    mut out: MessageWriter<Command>,
) {
    if wants.is_some_and(|w| w.wants_keyboard_input()) {
        return;
    }
    let (Some(playing), Some(keys)) = (playing, keys) else {
        return;
    };
    match playing.phase {
        Phase::Orders(_) => {
            if keys.just_pressed(KeyCode::Enter) {
                out.write(Command::EndTurn);
            }
            if keys.just_pressed(KeyCode::Space) {
                out.write(Command::ConfirmMove);
            }
            if keys.just_pressed(KeyCode::Escape) {
                match diplomacy {
                    Some(mut open) if open.0 => open.0 = false,
                    _ => {
                        out.write(Command::CancelAim);
                    }
                }
            }
            if let Some(fleet) = selection.fleet {
                if keys.just_pressed(KeyCode::KeyH) {
                    out.write(Command::Give(Order::Hold { fleet }));
                }
                if keys.just_pressed(KeyCode::KeyW) {
                    out.write(Command::Give(Order::Withdraw { fleet }));
                }
            }
        }
        Phase::Playback => {
            if keys.just_pressed(KeyCode::Space) || keys.just_pressed(KeyCode::Escape) {
                out.write(Command::SkipPlayback);
            }
        }
        Phase::Handover(_) => {
            if keys.just_pressed(KeyCode::Enter) {
                out.write(Command::TakeOver);
            }
        }
        Phase::Resolving | Phase::Ended => {}
    }
}
