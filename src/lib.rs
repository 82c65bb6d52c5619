//! Khitomer: a turn-based grand-strategy game of the Khitomer Alliance, 2409–2411.
//!
//! The library has the layers of the game, each using only those before it: [`core`] (the
//! rules, headless), [`ai`] (orders for every seat the AI holds), [`session`] (a game across
//! a campaign's chapters), [`content`] (scenario files), [`record`] (replays and saves),
//! [`driver`] (the one turn driver), then [`cli`] and, with the `gui` feature, the window.

#![forbid(unsafe_code)]

/// The game's allocator, for every program built on the library: a turn makes and drops
/// many small lists (orders, routes, events), and on a large map its per-sector tables span
/// more memory than the processor's page cache covers; mimalloc serves the first from
/// per-thread free lists and backs the second with large pages where the system allows.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
pub mod labels;
pub mod picture;
pub mod record;
pub mod session;
pub mod spelling;
pub mod stats;
pub mod terminal;
