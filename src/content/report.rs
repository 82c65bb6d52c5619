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
        // Only the files the diagnostics point into, each made safe once; a file with lines
        // too long for a screen is cut around each diagnostic's labels instead.
        let mut shown = SimpleFiles::new();
        let mut ids = std::collections::BTreeMap::new();
        let mut long = std::collections::BTreeSet::new();
        for label in self.diagnostics.iter().flat_map(|d| &d.labels) {
            let file = label.file_id;
            ids.entry(file).or_insert_with(|| {
                let text = printable_in_place(self.sources.text(file)).into_owned();
                if text.lines().any(|l| l.chars().count() > LONG_LINE) {
                    long.insert(file);
                }
                shown.add(printable(self.sources.name(file)).into_owned(), text)
            });
        }
        let mut out = String::new();
        for d in &self.diagnostics {
            let mut d = d.clone();
            // The shared copies, unless this diagnostic points into a file with long lines:
            // then a copy of its own, with that file cut around its labels.
            let cuts = d.labels.iter().any(|l| long.contains(&l.file_id));
            let mut own = if cuts { Some(shown.clone()) } else { None };
            d.message = printable(&d.message).into_owned();
            let in_files: std::collections::BTreeSet<usize> =
                d.labels.iter().map(|l| l.file_id).collect();
            let mut cut_ids = std::collections::BTreeMap::new();
            let mut fixes: Vec<(String, String)> = Vec::new();
            for file in in_files.into_iter().filter(|f| long.contains(f)) {
                let text = printable_in_place(self.sources.text(file));
                let ranges: Vec<Range<usize>> = d
                    .labels
                    .iter()
                    .filter(|l| l.file_id == file)
                    .map(|l| l.range.clone())
                    .collect();
                let (cut, map) = cut_long_lines(&text, &ranges);
                cut_ids.insert(
                    file,
                    own.as_mut()
                        .expect("a copy is made for a diagnostic with cuts")
                        .add(printable(self.sources.name(file)).into_owned(), cut),
                );
                for label in d.labels.iter_mut().filter(|l| l.file_id == file) {
                    let cut_start = map(label.range.start);
                    // The header gives the column in the file, not in its cut copy.
                    let column = |t: &str, at: usize| {
                        let at = at.min(t.len());
                        let line_start = t[..at].rfind('\n').map_or(0, |i| i + 1);
                        (
                            t[..at].matches('\n').count() + 1,
                            t[line_start..at].chars().count() + 1,
                        )
                    };
                    let (line, old_col) = column(&text, label.range.start);
                    let cut_text = own
                        .as_ref()
                        .expect("a copy is made for a diagnostic with cuts")
                        .get(cut_ids[&file])
                        .map(|f| f.source().clone());
                    if let Ok(cut_text) = cut_text {
                        let (_, new_col) = column(&cut_text, cut_start);
                        let name = printable(self.sources.name(file)).into_owned();
                        fixes.push((
                            format!("{name}:{line}:{new_col}"),
                            format!("{name}:{line}:{old_col}"),
                        ));
                    }
                    label.range = cut_start..map(label.range.end);
                }
            }
            for label in &mut d.labels {
                label.message = printable(&label.message).into_owned();
                label.file_id = cut_ids
                    .get(&label.file_id)
                    .copied()
                    .unwrap_or(ids[&label.file_id]);
            }
            for note in &mut d.notes {
                *note = printable(note).into_owned();
            }
            let files = own.as_ref().unwrap_or(&shown);
            let mut one = String::new();
            if colour {
                let mut buffer = term::termcolor::Buffer::ansi();
                let _ = term::emit_to_write_style(&mut buffer, &config, files, &d);
                one.push_str(&String::from_utf8_lossy(buffer.as_slice()));
            } else {
                let _ = term::emit_to_string(&mut one, &config, files, &d);
            }
            for (cut, real) in fixes {
                one = one.replacen(&cut, &real, 1);
            }
            out.push_str(&one);
        }
        out
    }
}

/// Lines longer than this many characters are cut in diagnostics.
const LONG_LINE: usize = 200;
/// How much of a long line is kept on each side of what a label points at.
const CONTEXT: usize = 60;

/// `text` with every line longer than [`LONG_LINE`] cut to the part around the `ranges` in it
/// (or to its start, if none is in it), marked with `…`; and where each byte position of
/// `text` is in the result.
fn cut_long_lines(text: &str, ranges: &[Range<usize>]) -> (String, impl Fn(usize) -> usize) {
    // (kept part of the old text, where it starts in the new one)
    let mut kept: Vec<(Range<usize>, usize)> = Vec::new();
    let mut out = String::with_capacity(text.len().min(1 << 16));
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let body_end = start + body.len();
        if body.chars().count() <= LONG_LINE {
            kept.push((start..end, out.len()));
            out.push_str(line);
        } else {
            let here: Vec<&Range<usize>> = ranges
                .iter()
                .filter(|r| r.start >= start && r.start <= body_end)
                .collect();
            let (lo, hi) = match (
                here.iter().map(|r| r.start).min(),
                here.iter().map(|r| r.end.min(body_end)).max(),
            ) {
                (Some(lo), Some(hi)) => (
                    lo.saturating_sub(CONTEXT).max(start),
                    (hi.max(lo) + CONTEXT).min(body_end),
                ),
                _ => (start, (start + 2 * CONTEXT).min(body_end)),
            };
            let lo = (lo..=body_end)
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(body_end);
            let hi = (hi..=body_end)
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(body_end);
            if lo > start {
                out.push('…');
            }
            kept.push((lo..hi, out.len()));
            out.push_str(&text[lo..hi]);
            if hi < body_end {
                out.push('…');
            }
            out.push_str(&text[body_end..end]);
        }
        start = end;
    }
    let map = move |p: usize| {
        let at = kept.partition_point(|(r, _)| r.end <= p && r.start < p);
        match kept.get(at) {
            Some((r, new)) if p >= r.start => new + (p.min(r.end) - r.start),
            Some((_, new)) => *new,
            None => kept.last().map_or(0, |(r, new)| new + (r.end - r.start)),
        }
    };
    (out, map)
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
