//! Khitomer: a turn-based grand-strategy game of the Khitomer Alliance, 2409–2411.
//!
//! The library has the layers of the game: [`core`] (the rules, headless), [`content`]
//! (scenario files), [`ai`] (orders for every faction not played by a person) and [`cli`].

#![forbid(unsafe_code)]

pub mod ai;
pub mod chronicle;
pub mod cli;
pub mod content;
pub mod core;
pub mod record;
pub mod session;
