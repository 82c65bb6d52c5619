//! Did-you-mean: the known name nearest to one that is not known. Every layer that reports
//! an unknown id (content checks, orders by name, the command line) uses this one rule.

/// The nearest of `known` to `unknown`, if it is near enough to be a likely typo: a few
/// edits away, or sharing most of its letters in order (Jaro-Winkler).
pub fn nearest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for k in known {
        let edits = strsim::damerau_levenshtein(unknown, k);
        let close_edits = edits <= (k.len().max(unknown.len()) / 4).max(1);
        let score = strsim::jaro_winkler(unknown, k).max(if close_edits {
            1.0 - edits as f64 / 100.0
        } else {
            0.0
        });
        if score >= 0.8 && best.is_none_or(|(b, bk)| score > b || (score == b && k < bk)) {
            best = Some((score, k));
        }
    }
    best.map(|(_, k)| k)
}
