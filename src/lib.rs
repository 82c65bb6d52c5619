//! Khitomer: a turn-based grand-strategy game of the Khitomer Alliance, 2409–2411.
//!
//! The library has the layers of the game, each using only those before it: [`core`] (the
//! rules, headless), [`ai`] (orders for every seat the AI holds), [`session`] (a game across
//! a campaign's chapters), [`content`] (scenario files), [`record`] (replays and saves),
//! [`driver`] (the one turn driver), then [`cli`] and, with the `gui` feature, the window.

#![forbid(unsafe_code)]

pub mod ai;
pub mod chronicle;
pub mod cli;
pub mod content;
pub mod core;
pub mod driver;
pub mod files;
pub mod fuzz;
#[cfg(feature = "gui")]
pub mod gui;
pub mod picture;
pub mod record;
pub mod session;
pub mod spelling;
pub mod stats;
pub mod terminal;
