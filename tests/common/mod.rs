//! What the integration tests share: the game's folder, fresh scratch folders, and the game's
//! binary run as a user runs it.

#![allow(dead_code, reason = "each test binary uses some of these")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The game's own folder: its scenarios, assets and mods.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// An empty folder of this name (a relative path) under the tests' scratch space, emptied
/// first if an earlier run left it.
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the scratch folder can be made");
    dir
}

/// Bytes of output as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs the game's binary from its folder, with no `KHITOMER_HOME`, a panic's backtrace
/// shown if there is one.
pub fn khitomer(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_khitomer"))
        .args(args)
        .current_dir(root())
        .env_remove("KHITOMER_HOME")
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("the binary runs")
}
