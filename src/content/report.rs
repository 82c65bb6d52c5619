//! Diagnostics for content files, rendered the way rustc renders them: file, line, column,
//! the offending text with a marker under it, and notes (the nearest known id, ...).

use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic, Label, Severity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

use super::locate::{Path, locate};

/// The files read, by id, for diagnostics to point into. Shared, so that every scenario's
/// report can point into the same files without copying them.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    files: Arc<SimpleFiles<String, String>>,
}

/// A file among the [`Sources`].
pub type FileId = usize;

impl Sources {
    /// Adds a file; `name` is how diagnostics show it (its path).
    pub fn add(&mut self, name: String, text: String) -> FileId {
        Arc::make_mut(&mut self.files).add(name, text)
    }

    /// A file's text.
    pub fn text(&self, file: FileId) -> &str {
        self.files.get(file).map_or("", |f| f.source().as_str())
    }

    /// A file's name.
    pub fn name(&self, file: FileId) -> &str {
        self.files.get(file).map_or("", |f| f.name().as_str())
    }

    /// The span of the value at `path` in a file, or the start of the file if the path
    /// cannot be followed.
    pub fn span(&self, file: FileId, path: &Path) -> Range<usize> {
        locate(self.text(file), path).unwrap_or(0..0)
    }

    /// The byte offset of a 1-based line and column (in characters).
    pub fn offset(&self, file: FileId, line: usize, col: usize) -> usize {
        let text = self.text(file);
        let line_start: usize = text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let rest = &text[line_start.min(text.len())..];
        line_start
            + rest
                .char_indices()
                .nth(col.saturating_sub(1))
                .map_or(rest.len(), |(i, _)| i)
    }
}

/// Everything found wrong (or worth a warning) in a set of content files.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// The files, for rendering.
    pub sources: Sources,
    /// The diagnostics, in the order found.
    pub diagnostics: Vec<Diagnostic<FileId>>,
}

impl Report {
    /// The same files with only some of the diagnostics.
    pub fn subset(&self, range: std::ops::Range<usize>) -> Report {
        Report {
            sources: self.sources.clone(),
            diagnostics: self.diagnostics[range].to_vec(),
        }
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity >= Severity::Error)
    }

    /// How many errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Error)
            .count()
    }

    /// Adds an error pointing at the value at `path` in `file`.
    pub fn error_at(
        &mut self,
        file: FileId,
        path: &Path,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> &mut Diagnostic<FileId> {
        let span = self.sources.span(file, path);
        self.diagnostics.push(
            Diagnostic::error()
                .with_message(message.into())
                .with_labels(vec![Label::primary(file, span).with_message(label.into())]),
        );
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Adds an error about a whole file, or about no file at all.
    pub fn error(&mut self, message: impl Into<String>) -> &mut Diagnostic<FileId> {
        self.diagnostics
            .push(Diagnostic::error().with_message(message.into()));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Renders every diagnostic, plain or in colour. What comes from the files — their text,
    /// their names, the ids in messages — is shown with its control characters made
    /// harmless (see [`crate::terminal`]).
    pub fn render(&self, colour: bool) -> String {
        use crate::terminal::{printable, printable_in_place};
        let config = term::Config::default();
        // Only the files the diagnostics point into, each made safe once.
        let mut shown = SimpleFiles::new();
        let mut ids = std::collections::BTreeMap::new();
        for label in self.diagnostics.iter().flat_map(|d| &d.labels) {
            ids.entry(label.file_id).or_insert_with(|| {
                shown.add(
                    printable(self.sources.name(label.file_id)).into_owned(),
                    printable_in_place(self.sources.text(label.file_id)).into_owned(),
                )
            });
        }
        let mut out = String::new();
        for d in &self.diagnostics {
            let mut d = d.clone();
            d.message = printable(&d.message).into_owned();
            for label in &mut d.labels {
                label.message = printable(&label.message).into_owned();
                label.file_id = ids[&label.file_id];
            }
            for note in &mut d.notes {
                *note = printable(note).into_owned();
            }
            if colour {
                let mut buffer = term::termcolor::Buffer::ansi();
                let _ = term::emit_to_write_style(&mut buffer, &config, &shown, &d);
                out.push_str(&String::from_utf8_lossy(buffer.as_slice()));
            } else {
                let _ = term::emit_to_string(&mut out, &config, &shown, &d);
            }
        }
        out
    }
}

pub use crate::spelling::nearest;

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn nearest_finds_typos_and_not_strangers() {
        let known = ["klingon", "federation", "romulan_republic", "hromi", "otha"];
        assert_eq!(nearest("klingonn", known), Some("klingon"));
        assert_eq!(nearest("federaton", known), Some("federation"));
        assert_eq!(nearest("hromy_cluster", known), Some("hromi"));
        assert_eq!(nearest("romulan", known), Some("romulan_republic"));
        assert_eq!(nearest("breen", known), None);
        assert_eq!(nearest("x", known), None);
    }
}
