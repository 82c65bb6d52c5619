//! No silent data loss: a command never writes two of its outputs to one path, never writes
//! over a file it reads, and finds out that an output cannot be written before it plays
//! anything rather than after.

use std::path::{Path, PathBuf};

use super::Failure;
use crate::content::display_path;

/// A path as the file system knows it: its folder resolved, so that `a/../x` and `x` match.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(real) = path.canonicalize() {
        return real;
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let dir = dir.canonicalize().unwrap_or(dir);
    path.file_name().map_or(dir.clone(), |n| dir.join(n))
}

/// Refuses outputs that share a path with each other or with an input: `(flag, path)` each.
pub fn distinct(outputs: &[(&str, &Path)], inputs: &[(&str, &Path)]) -> Result<(), Failure> {
    for (i, (flag, out)) in outputs.iter().enumerate() {
        let at = resolved(out);
        for (other, path) in outputs[..i].iter() {
            if resolved(path) == at {
                return Err(Failure::Input(format!(
                    "error: `{flag}` and `{other}` both write `{}`; the second would replace the first\n  = give each its own file\n",
                    display_path(out)
                )));
            }
        }
        for (what, path) in inputs {
            if resolved(path) == at {
                return Err(Failure::Input(format!(
                    "error: `{flag}` would write over `{}`, which is {what}\n  = write it to another file\n",
                    display_path(out)
                )));
            }
        }
    }
    Ok(())
}

/// Finds out before anything is played that `path` can be written: the temporary file a
/// write goes through is made and taken away again.
pub fn writable(flag: &str, path: &Path) -> Result<(), Failure> {
    let temp = crate::record::save::temporary_for(path);
    match std::fs::File::create(&temp) {
        Ok(_) => {
            let _ = std::fs::remove_file(&temp);
            Ok(())
        }
        Err(e) => Err(Failure::Input(format!(
            "error: `{flag}`: cannot write `{}`: {e}; nothing was played\n",
            display_path(path)
        ))),
    }
}
