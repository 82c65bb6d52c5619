//! Finds where a value sits in a RON file, by its path (`fleets[3].owner`), so that errors
//! found after parsing (an unknown id, a duplicate) point at the exact text like a syntax
//! error does. It reads just enough of RON to skip values: it never builds them, and on
//! text it does not understand it gives up with `None` rather than guess.

use std::ops::Range;

/// One step of a path into a RON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A named field of a struct (or of a struct-like enum variant).
    Field(String),
    /// An element of a list or tuple.
    Index(usize),
    /// The value under a key of a map.
    Key(String),
    /// A key of a map itself.
    KeyItself(String),
}

/// A path into a RON value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Path(pub Vec<Step>);

impl Path {
    /// The empty path: the whole file.
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This path, then a field.
    pub fn field(&self, name: &str) -> Self {
        self.then(Step::Field(name.to_owned()))
    }

    /// This path, then an element.
    pub fn index(&self, i: usize) -> Self {
        self.then(Step::Index(i))
    }

    /// This path, then the value under a map key.
    pub fn key(&self, key: &str) -> Self {
        self.then(Step::Key(key.to_owned()))
    }

    /// This path, then a map key itself.
    pub fn key_itself(&self, key: &str) -> Self {
        self.then(Step::KeyItself(key.to_owned()))
    }

    fn then(&self, step: Step) -> Self {
        let mut steps = self.0.clone();
        steps.push(step);
        Self(steps)
    }
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Field(name) if i == 0 => write!(f, "{name}")?,
                Step::Field(name) => write!(f, ".{name}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
                Step::Key(k) | Step::KeyItself(k) => write!(f, "[{k:?}]")?,
            }
        }
        Ok(())
    }
}

/// The byte range of the value at `path` in `src`, if the text can be followed that far.
pub fn locate(src: &str, path: &Path) -> Option<Range<usize>> {
    let mut cursor = Cursor {
        src: src.as_bytes(),
        pos: 0,
        depth: 0,
    };
    cursor.skip_ws();
    // A file may open with `#![enable(...)]` attributes.
    while cursor.peek() == Some(b'#') {
        cursor.skip_attribute()?;
        cursor.skip_ws();
    }
    cursor.find(&path.0)
}

struct Cursor<'a> {
    src: &'a [u8],
    pos: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 128;

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.pos += 1,
                Some(b'/') if self.src.get(self.pos + 1) == Some(&b'/') => {
                    while self.peek().is_some_and(|c| c != b'\n') {
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.src.get(self.pos + 1) == Some(&b'*') => {
                    self.pos += 2;
                    let mut nesting = 1;
                    while nesting > 0 && self.pos < self.src.len() {
                        if self.src[self.pos..].starts_with(b"/*") {
                            nesting += 1;
                            self.pos += 2;
                        } else if self.src[self.pos..].starts_with(b"*/") {
                            nesting -= 1;
                            self.pos += 2;
                        } else {
                            self.pos += 1;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn skip_attribute(&mut self) -> Option<()> {
        // `#![ ... ]`
        self.pos += 1;
        if !self.eat(b'!') || !self.eat(b'[') {
            return None;
        }
        let mut nesting = 1;
        while nesting > 0 {
            match self.peek()? {
                b'[' => nesting += 1,
                b']' => nesting -= 1,
                _ => {}
            }
            self.pos += 1;
        }
        Some(())
    }

    fn ident(&mut self) -> Option<&str> {
        self.skip_ws();
        let start = self.pos;
        if self.src[self.pos..].starts_with(b"r#")
            && self
                .src
                .get(self.pos + 2)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        {
            self.pos += 2;
        }
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
        {
            self.pos += 1;
        }
        if self.pos == start {
            return None;
        }
        std::str::from_utf8(&self.src[start..self.pos]).ok()
    }

    /// Skips one value and returns its range.
    fn value(&mut self) -> Option<Range<usize>> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        let start = self.pos;
        match self.peek()? {
            b'"' => self.string()?,
            b'\'' => {
                self.pos += 1;
                if self.peek()? == b'\\' {
                    self.pos += 1;
                }
                while self.peek()? != b'\'' {
                    self.pos += 1;
                }
                self.pos += 1;
            }
            b'[' => self.seq(b'[', b']')?,
            b'{' => self.seq(b'{', b'}')?,
            b'(' => self.seq(b'(', b')')?,
            b'r' if self.is_raw_string() => self.raw_string()?,
            c if c.is_ascii_alphabetic() || c == b'_' => {
                self.ident()?;
                self.skip_ws();
                if self.peek() == Some(b'(') {
                    self.seq(b'(', b')')?;
                }
            }
            c if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.') => {
                self.pos += 1;
                while self.peek().is_some_and(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'+' | b'-')
                }) {
                    // A sign belongs to the number only right after an exponent.
                    if matches!(self.peek(), Some(b'+' | b'-'))
                        && !matches!(self.src[self.pos - 1], b'e' | b'E')
                    {
                        break;
                    }
                    self.pos += 1;
                }
            }
            _ => return None,
        }
        self.depth -= 1;
        Some(start..self.pos)
    }

    fn is_raw_string(&self) -> bool {
        let rest = &self.src[self.pos + 1..];
        let hashes = rest.iter().take_while(|&&c| c == b'#').count();
        rest.get(hashes) == Some(&b'"')
    }

    fn string(&mut self) -> Option<()> {
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }

    fn raw_string(&mut self) -> Option<()> {
        self.pos += 1;
        let mut hashes = 0;
        while self.peek()? == b'#' {
            hashes += 1;
            self.pos += 1;
        }
        if self.peek()? != b'"' {
            return None;
        }
        self.pos += 1;
        loop {
            if self.peek()? == b'"'
                && self.src[self.pos + 1..]
                    .iter()
                    .take(hashes)
                    .filter(|&&c| c == b'#')
                    .count()
                    == hashes
            {
                self.pos += 1 + hashes;
                return Some(());
            }
            self.pos += 1;
        }
    }

    /// Skips a bracketed sequence of values, `key: value` pairs or `field: value` pairs.
    fn seq(&mut self, open: u8, close: u8) -> Option<()> {
        if !self.eat(open) {
            return None;
        }
        loop {
            if self.eat(close) {
                return Some(());
            }
            self.value()?;
            if self.eat(b':') {
                self.value()?;
            }
            if !self.eat(b',') {
                return if self.eat(close) { Some(()) } else { None };
            }
        }
    }

    /// Follows `path` from the value at the cursor.
    fn find(&mut self, path: &[Step]) -> Option<Range<usize>> {
        self.skip_ws();
        // `Some(x)` is x, wherever the path leads.
        if self.src[self.pos..].starts_with(b"Some") {
            let start = self.pos;
            self.pos += 4;
            if self.eat(b'(') {
                return self.find(path);
            }
            self.pos = start;
        }
        let Some((step, rest)) = path.split_first() else {
            return self.value();
        };
        // Look through a struct or variant name to the contents.
        let start = self.pos;
        if self
            .peek()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        {
            self.ident()?;
            self.skip_ws();
            if self.peek() != Some(b'(') {
                self.pos = start;
                return None;
            }
        }
        match step {
            Step::Field(field) => {
                if !self.eat(b'(') {
                    return None;
                }
                loop {
                    self.skip_ws();
                    if self.peek() == Some(b')') {
                        return None;
                    }
                    let name = self.ident()?.to_owned();
                    if !self.eat(b':') {
                        return None;
                    }
                    if name == *field {
                        return self.find(rest);
                    }
                    self.value()?;
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            Step::Index(n) => {
                self.skip_ws();
                let (open, close) = match self.peek()? {
                    b'[' => (b'[', b']'),
                    b'(' => (b'(', b')'),
                    _ => return None,
                };
                self.eat(open);
                for _ in 0..*n {
                    self.skip_ws();
                    if self.peek() == Some(close) {
                        return None;
                    }
                    self.value()?;
                    if !self.eat(b',') {
                        return None;
                    }
                }
                self.skip_ws();
                if self.peek() == Some(close) {
                    return None;
                }
                self.find(rest)
            }
            Step::Key(key) | Step::KeyItself(key) => {
                if !self.eat(b'{') {
                    return None;
                }
                loop {
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        return None;
                    }
                    let key_range = self.value()?;
                    let text = std::str::from_utf8(&self.src[key_range.clone()]).ok()?;
                    let matches = text.trim_matches('"') == key;
                    if !self.eat(b':') {
                        return None;
                    }
                    if matches {
                        return match step {
                            Step::KeyItself(_) if rest.is_empty() => Some(key_range),
                            _ => self.find(rest),
                        };
                    }
                    self.value()?;
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r##"#![enable(implicit_some)]
// A comment with (brackets] and "quotes
Scenario(
    id: "x", /* nested /* comment */ here */
    fleets: [
        (id: "a", owner: "fed", strength: -3, speed: 1.5e+2),
        Fleet(id: "b", owner: "kdf", commander: Some("quinn")),
    ],
    control: { "fed": ["sol"], "kdf": ["qonos", "khitomer"] },
    objectives: { "fed": [Hold(["sol"]), Survive] },
    raw: r#"a "quoted" bit"#,
)"##;

    fn at(path: Path) -> Option<&'static str> {
        locate(SRC, &path).map(|r| &SRC[r])
    }

    #[test]
    fn finds_fields_elements_and_keys() {
        let root = Path::root();
        assert_eq!(at(root.field("id")), Some("\"x\""));
        assert_eq!(
            at(root.field("fleets").index(1).field("owner")),
            Some("\"kdf\"")
        );
        assert_eq!(
            at(root.field("fleets").index(0).field("strength")),
            Some("-3")
        );
        assert_eq!(
            at(root.field("fleets").index(1).field("commander")),
            Some("\"quinn\"")
        );
        assert_eq!(
            at(root.field("control").key("kdf").index(1)),
            Some("\"khitomer\"")
        );
        assert_eq!(at(root.field("control").key_itself("kdf")), Some("\"kdf\""));
        assert_eq!(
            at(root
                .field("objectives")
                .key("fed")
                .index(0)
                .index(0)
                .index(0)),
            Some("\"sol\"")
        );
        assert_eq!(at(root.field("raw")), Some("r#\"a \"quoted\" bit\"#"));
    }

    #[test]
    fn missing_paths_give_none() {
        let root = Path::root();
        assert_eq!(at(root.field("nope")), None);
        assert_eq!(at(root.field("fleets").index(5)), None);
        assert_eq!(locate("(a: [1, 2", &Path::root().field("a").index(3)), None);
    }
}
