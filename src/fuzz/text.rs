//! Mutations of text files (scenarios, maps, rosters, mods, replays): byte edits that break
//! the syntax, and edits that keep it but change values — numbers to their limits, ids to
//! other ids of the file, list entries given twice or taken out, strings made long or full of
//! control characters.

use rand::Rng;
use rand::seq::IndexedRandom;

/// Values at and past the limits of every integer type the files hold.
pub const EDGE_NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "7",
    "100",
    "255",
    "256",
    "65535",
    "65536",
    "2147483647",
    "-2147483648",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
    "99999999999999999999999",
    "1e308",
    "-0",
    "0x10",
    "1.5",
];

const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "\"",
    ",",
    ":",
    "Some(",
    "None",
    "-1",
    "r#\"",
    "/*",
    "//",
    "\u{1F596}",
    "\u{0}",
    "true",
    "false",
    "()",
];

/// Spans of the text's numbers, strings and balanced `(...)` groups.
struct Spans {
    numbers: Vec<(usize, usize)>,
    strings: Vec<(usize, usize)>,
    groups: Vec<(usize, usize)>,
}

fn spans(b: &[u8]) -> Spans {
    let mut s = Spans {
        numbers: Vec::new(),
        strings: Vec::new(),
        groups: Vec::new(),
    };
    let mut open = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                s.strings.push((start, (i + 1).min(b.len())));
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' => open.push(i),
            b')' => {
                if let Some(start) = open.pop() {
                    s.groups.push((start, i + 1));
                }
            }
            c if c.is_ascii_digit()
                || (c == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) =>
            {
                let start = i;
                i += 1;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                    i += 1;
                }
                if start == 0 || !(b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'_') {
                    s.numbers.push((start, i));
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    s
}

/// One mutation of a text, described for the report.
pub fn mutate(bytes: &mut Vec<u8>, rng: &mut impl Rng) -> String {
    let n = bytes.len().max(1);
    let at = rng.random_range(0..n).min(bytes.len());
    match rng.random_range(0..12) {
        0 => {
            if at < bytes.len() {
                let bit = rng.random_range(0..8);
                bytes[at] ^= 1 << bit;
            }
            format!("flip bit {} of byte {at}", at % 8)
        }
        1 => {
            bytes.truncate(at);
            format!("cut at byte {at}")
        }
        2 => {
            let end = (at + rng.random_range(1..200)).min(bytes.len());
            bytes.drain(at..end);
            format!("delete bytes {at}..{end}")
        }
        3 => {
            let end = (at + rng.random_range(1..200)).min(bytes.len());
            let piece = bytes[at..end].to_vec();
            bytes.splice(end..end, piece);
            format!("duplicate bytes {at}..{end}")
        }
        4 => {
            let depth = rng.random_range(1..400);
            bytes.splice(at..at, std::iter::repeat_n(b'[', depth));
            format!("open {depth} brackets at byte {at}")
        }
        5 => {
            let token = TOKENS.choose(rng).expect("tokens");
            bytes.splice(at..at, token.bytes());
            format!("insert {token:?} at byte {at}")
        }
        6 | 7 => {
            let s = spans(bytes);
            let Some(&(a, b)) = s.numbers.choose(rng) else {
                return "no number to change".into();
            };
            let value = EDGE_NUMBERS.choose(rng).expect("numbers");
            let old = String::from_utf8_lossy(&bytes[a..b]).into_owned();
            bytes.splice(a..b, value.bytes());
            format!("number {old} at byte {a} to {value}")
        }
        8 => {
            let s = spans(bytes);
            let (Some(&(a, b)), Some(&(c, d))) = (s.strings.choose(rng), s.strings.choose(rng))
            else {
                return "no string to swap".into();
            };
            let other = bytes[c..d].to_vec();
            let old = String::from_utf8_lossy(&bytes[a..b]).into_owned();
            let new = String::from_utf8_lossy(&other).into_owned();
            bytes.splice(a..b, other);
            format!("string {old} at byte {a} to {new}")
        }
        9 => {
            let s = spans(bytes);
            let Some(&(a, b)) = s.strings.choose(rng) else {
                return "no string to change".into();
            };
            let new = match rng.random_range(0..4) {
                0 => "\"\"".to_owned(),
                1 => format!("\"{}\"", "x".repeat(rng.random_range(1000..100_000))),
                2 => "\"\\u{1b}[2J\\u{7}\\r\"".to_owned(),
                _ => "\"../../../../etc/passwd\"".to_owned(),
            };
            let shown: String = new.chars().take(40).collect();
            bytes.splice(a..b, new.into_bytes());
            format!("string at byte {a} to {shown}")
        }
        10 => {
            let s = spans(bytes);
            let Some(&(a, b)) = s.groups.choose(rng) else {
                return "no group to repeat".into();
            };
            let times = *[1usize, 2, 50].choose(rng).expect("times");
            let mut piece = Vec::new();
            for _ in 0..times {
                piece.push(b',');
                piece.extend_from_slice(&bytes[a..b]);
            }
            bytes.splice(b..b, piece);
            format!("repeat the group at bytes {a}..{b} {times} times")
        }
        _ => {
            let s = spans(bytes);
            let Some(&(a, b)) = s.groups.choose(rng) else {
                return "no group to remove".into();
            };
            let end = if bytes.get(b) == Some(&b',') {
                b + 1
            } else {
                b
            };
            bytes.drain(a..end);
            format!("remove the group at bytes {a}..{b}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_find_numbers_strings_and_groups() {
        let s = spans(br#"A(x: 12, y: "a(b", z: [B(-3)]) // 9"#);
        assert_eq!(s.numbers, vec![(5, 7), (25, 27)]);
        assert_eq!(s.strings, vec![(12, 17)]);
        assert_eq!(s.groups, vec![(24, 28), (1, 30)]);
    }
}
