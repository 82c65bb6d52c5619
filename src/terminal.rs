//! Text a terminal can trust. Names, messages and ids come from content files a mod may have
//! written; printed raw, a control character in them could move the cursor, clear the screen
//! or change the terminal's title. Everything the game prints from content passes through
//! here, with its control characters written as escapes (`\u{1b}`).

use std::borrow::Cow;
use std::io::{self, Write};

/// Whether a character must not reach a terminal as it is: a control character other than a
/// line break or a tab.
fn unsafe_char(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// `text` with every control character (but line breaks and tabs) written as an escape.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with every control character (but line breaks and tabs) replaced by a printable
/// character of the same length in bytes, so that byte positions into it stay right (`?` for
/// a one-byte control, `¿` for a two-byte one).
pub fn printable_in_place(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match (unsafe_char(c), c.len_utf8()) {
                (false, _) => c.to_string(),
                (true, 1) => "?".to_owned(),
                (true, _) => "¿".to_owned(),
            })
            .collect(),
    )
}

/// A writer that passes on text with its control characters escaped, as [`printable`] does.
/// Each write is expected to be whole text (as `write!` gives); bytes that are not text pass
/// on with their control bytes replaced.
pub struct Printable<W: Write>(pub W);

impl<W: Write> Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(text) => self.0.write_all(printable(text).as_bytes())?,
            Err(_) => {
                let cleaned: Vec<u8> = buf
                    .iter()
                    .map(|&b| {
                        if (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f {
                            b'?'
                        } else {
                            b
                        }
                    })
                    .collect();
                self.0.write_all(&cleaned)?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_is_kept() {
        assert_eq!(printable("Qo'noS\tfalls\n"), "Qo'noS\tfalls\n");
        assert_eq!(printable("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(printable("\u{9b}31m"), "\\u{9b}31m");
        let same = printable_in_place("x\u{1b}y\u{9b}z");
        assert_eq!(same, "x?y¿z");
        assert_eq!(same.len(), "x\u{1b}y\u{9b}z".len());
        let mut out = Printable(Vec::new());
        let bell = "ok\u{7}\n";
        write!(out, "{bell}").unwrap();
        assert_eq!(out.0, b"ok\\u{7}\n");
    }
}
