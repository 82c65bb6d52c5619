//! Reading a file the game was given — content, a save, a replay, orders — without trusting
//! what is at the path: only a regular file is opened (a named pipe would wait for ever, a
//! device would never end), and no more than a stated number of bytes is read, even from a
//! file that grows while it is read. Every layer that reads input uses this one rule.

use std::io::{self, Read};
use std::path::Path;

/// Most bytes of a save or a replay the game reads.
pub const MAX_RECORD_BYTES: u64 = 1 << 30;
/// Most bytes of an orders or autopilot file the game reads.
pub const MAX_SCRIPT_BYTES: u64 = 16 << 20;

/// Why a file was not read.
#[derive(Debug)]
pub enum Refused {
    /// Not a regular file: a folder, a named pipe, a device or a socket.
    NotAFile(&'static str),
    /// Larger than allowed.
    TooLarge {
        /// Its size, in bytes.
        size: u64,
        /// The most allowed.
        max: u64,
    },
    /// It could not be read.
    Io(io::Error),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::NotAFile(what) => {
                write!(f, "it is {what}, not a regular file, and is not read")
            }
            Refused::TooLarge { size, max } => {
                write!(f, "it is {size} bytes, and at most {max} are read")
            }
            Refused::Io(e) => write!(f, "{e}"),
        }
    }
}

/// What kind of thing, other than a regular file, is at a path.
fn kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
    }
    Some("not a file")
}

/// Whether `path` leads (through any links) to a regular file; if not, what it is.
pub fn check_regular(path: &Path) -> Result<u64, Refused> {
    let meta = std::fs::metadata(path).map_err(Refused::Io)?;
    match kind(&meta) {
        Some(what) => Err(Refused::NotAFile(what)),
        None => Ok(meta.len()),
    }
}

/// Reads the regular file at `path`, of at most `max` bytes.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, Refused> {
    let size = check_regular(path)?;
    if size > max {
        return Err(Refused::TooLarge { size, max });
    }
    let file = std::fs::File::open(path).map_err(Refused::Io)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > max {
        return Err(Refused::TooLarge {
            size: bytes.len() as u64,
            max,
        });
    }
    Ok(bytes)
}
