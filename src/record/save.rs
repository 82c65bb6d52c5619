//! Saves: the whole session at a turn — the world, the chapter, the chapters to come — in a
//! versioned binary file with a checksum. Writing never destroys the previous save: the new
//! one is written to a temporary file beside it, flushed to disk, then renamed over it, so a
//! crash at any moment leaves either the old save or the new one, whole.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::core::seat::Seats;
use crate::core::state::WorldState;
use crate::core::validate::validate;
use crate::session::ChapterStart;

/// The save format this build writes. Format 2 keeps the seats. Format 4 is format 3 that may
/// hold refusal reasons and motives added since (a faction named as the would-be ally or the
/// enemy being beaten, a truce outlived): a build that reads only format 3 refuses it as newer
/// rather than taking it for damage.
pub const SAVE_FORMAT: u32 = 4;

/// The oldest save format this build reads: a format-3 save is a format-4 save that may lack
/// the later reasons and motives.
pub const OLDEST_SAVE_FORMAT: u32 = 3;

const MAGIC: &[u8] = b"KHITOMER SAVE\n";

/// Where in a save its format lies, as four bytes little-endian, after the magic.
pub const FORMAT_AT: usize = MAGIC.len();

/// A saved session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveFile {
    /// The version of the game that wrote it.
    pub game: String,
    /// What was being played: a scenario or campaign id, or a scenario file.
    pub play: String,
    /// The mods it was played with, in load order.
    pub mods: Vec<String>,
    /// The seed of the first chapter.
    pub seed: u64,
    /// Who plays each faction.
    pub seats: Seats,
    /// The chapter being played, from 0.
    pub chapter: usize,
    /// Every chapter's start.
    pub chapters: Vec<ChapterStart>,
    /// The world, between two turns.
    pub world: WorldState,
}

/// Why a file cannot be loaded as a save.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// It does not begin like a save.
    #[error("it is not a Khitomer save")]
    NotASave,
    /// It was written in a format this build does not read.
    #[error(
        "it was written in save format {found}, and this version of the game reads formats {} to {}",
        OLDEST_SAVE_FORMAT,
        SAVE_FORMAT
    )]
    UnknownFormat {
        /// Its format.
        found: u32,
    },
    /// It decodes, but what it holds is not a whole world: an id that names nothing, counts
    /// that disagree.
    #[error("it does not hold a game that can be played: {0}")]
    NotWhole(String),
    /// Its bytes do not match its checksum, or do not decode.
    #[error("it is damaged ({0}): it was cut short or changed after it was written")]
    Damaged(String),
}

/// The bytes of a save: magic, format, checksum, then the session in postcard's encoding.
pub fn encode(save: &SaveFile) -> Vec<u8> {
    let payload = postcard::to_allocvec(save).expect("serialising into memory cannot fail");
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&SAVE_FORMAT.to_le_bytes());
    bytes.extend_from_slice(blake3::hash(&payload).as_bytes());
    bytes.extend_from_slice(&payload);
    bytes
}

/// A save from its bytes, or why not.
pub fn decode(bytes: &[u8]) -> Result<SaveFile, SaveError> {
    let rest = bytes.strip_prefix(MAGIC).ok_or(SaveError::NotASave)?;
    if rest.len() < 4 + 32 {
        return Err(SaveError::Damaged("too short".into()));
    }
    let format = u32::from_le_bytes(rest[..4].try_into().expect("four bytes"));
    if !(OLDEST_SAVE_FORMAT..=SAVE_FORMAT).contains(&format) {
        return Err(SaveError::UnknownFormat { found: format });
    }
    let (checksum, payload) = rest[4..].split_at(32);
    if blake3::hash(payload).as_bytes() != checksum {
        return Err(SaveError::Damaged("checksum mismatch".into()));
    }
    let save: SaveFile =
        postcard::from_bytes(payload).map_err(|e| SaveError::Damaged(e.to_string()))?;
    check_whole(&save).map_err(SaveError::NotWhole)?;
    Ok(save)
}

/// Whether a decoded save holds a session the game can play: its chapter is one of its
/// chapters, and its world and every chapter's start pass [`validate`].
fn check_whole(save: &SaveFile) -> Result<(), String> {
    if save.chapter >= save.chapters.len() {
        return Err(format!(
            "it is in chapter {} of {}",
            save.chapter.saturating_add(1),
            save.chapters.len()
        ));
    }
    validate(&save.world).map_err(|e| format!("the world: {e}"))?;
    for (i, c) in save.chapters.iter().enumerate() {
        validate(&c.world).map_err(|e| format!("the start of chapter {}: {e}", i + 1))?;
    }
    let factions = |w: &WorldState| w.factions.iter().map(|f| f.key.clone()).collect::<Vec<_>>();
    if factions(&save.world) != factions(&save.chapters[save.chapter].world) {
        return Err("the world's factions are not those of its chapter".into());
    }
    Ok(())
}

/// The temporary file a save of `path` is first written to.
pub fn temporary_for(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".writing");
    path.with_file_name(name)
}

/// Writes a file so that, whatever happens, `path` holds either what it held before or all of
/// the new content: write a temporary file, flush it to disk, rename it over `path`, then
/// flush the folder. `fill` writes the content; if it fails, `path` is untouched.
pub fn write_with(path: &Path, fill: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    let temp = temporary_for(path);
    let result = (|| {
        let mut file = File::create(&temp)?;
        fill(&mut file)?;
        file.flush()?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)?;
        // The rename itself must reach the disk.
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && let Ok(dir) = File::open(dir)
        {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Writes `bytes` to `path` atomically (see [`write_with`]).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, |file| file.write_all(bytes))
}

/// Reads a save.
pub fn read(path: &Path) -> Result<Result<SaveFile, SaveError>, io::Error> {
    crate::files::read_limited(path, crate::files::MAX_RECORD_BYTES)
        .map_err(|why| match why {
            crate::files::Refused::Io(e) => e,
            other => io::Error::other(other.to_string()),
        })
        .map(|bytes| decode(&bytes))
}
