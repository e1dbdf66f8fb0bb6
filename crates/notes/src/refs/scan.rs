//! A scanner that knows what nests in a note: quotes (curly and straight, with
//! curly apostrophes told apart from closing quotes), brackets, parentheses and
//! `<URL>`s. Separators only count at the top level.

/// A top-level piece of a text, with its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'a> {
    /// The text of the piece.
    pub text: &'a str,
    /// Byte offset where it starts.
    pub start: usize,
}

fn closer_of(c: char) -> Option<char> {
    Some(match c {
        '‘' => '’',
        '“' => '”',
        '"' => '"',
        '\'' => '\'',
        '«' => '»',
        '[' => ']',
        '(' => ')',
        '<' => '>',
        _ => return None,
    })
}

/// Walks `s` and calls `f(byte, char, depth_before)` for every character,
/// tracking nesting.
fn walk(s: &str, mut f: impl FnMut(usize, char, usize)) {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut stack: Vec<char> = Vec::new();
    for (k, &(b, c)) in chars.iter().enumerate() {
        let prev = if k > 0 { Some(chars[k - 1].1) } else { None };
        let next = chars.get(k + 1).map(|x| x.1);
        let depth = stack.len();
        f(b, c, depth);
        let opens_after = |p: Option<char>| {
            p.is_none_or(|p| {
                p.is_whitespace()
                    || matches!(
                        p,
                        '(' | '[' | '“' | '‘' | '"' | '/' | '—' | '–' | '-' | '«' | ':'
                    )
            })
        };
        let top = stack.last().copied();
        match c {
            '’' | '”' | '»' | ']' | ')' | '>' if top.and_then(closer_of) == Some(c) => {
                // A curly apostrophe inside a word is not a closing quote.
                if c == '’' && next.is_some_and(|n| n.is_alphabetic()) {
                    continue;
                }
                stack.pop();
            }
            '"' if top == Some('"') => {
                stack.pop();
            }
            '\'' if top == Some('\'') && !next.is_some_and(|n| n.is_alphabetic()) => {
                stack.pop();
            }
            '‘' | '“' | '«' | '[' | '('
                if opens_after(prev) || matches!(c, '[' | '(' | '«' | '“') =>
            {
                stack.push(c)
            }
            '"' if opens_after(prev) => stack.push(c),
            '\'' if opens_after(prev) && next.is_some_and(|n| n.is_alphanumeric()) => stack.push(c),
            '<' if next.is_some_and(|n| n == 'h' || n == 'w') => stack.push(c),
            _ => {}
        }
    }
}

/// Splits at top-level `sep` followed by whitespace (or the end).
pub fn split_top(s: &str, sep: char) -> Vec<Piece<'_>> {
    let mut cuts = Vec::new();
    walk(s, |b, c, depth| {
        if c == sep && depth == 0 {
            let after = &s[b + c.len_utf8()..];
            if after.is_empty() || after.starts_with(char::is_whitespace) {
                cuts.push(b);
            }
        }
    });
    // An unclosed quote keeps the rest of the text in one piece (a title
    // missing its closing quote then runs to the end, which is what it is).
    let mut out = Vec::new();
    let mut start = 0;
    for cut in cuts {
        out.push(Piece {
            text: &s[start..cut],
            start,
        });
        start = cut + sep.len_utf8();
    }
    out.push(Piece {
        text: &s[start..],
        start,
    });
    out
}

const ABBREV: &[&str] = &[
    "no", "nos", "vol", "vols", "pp", "p", "st", "dr", "mr", "mrs", "ms", "jr", "sr", "prof",
    "gen", "lt", "col", "ed", "eds", "al", "cf", "vs", "op", "cit", "ibid", "ch", "chap", "sec",
    "art", "para", "fig", "trans", "rev", "repr", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp", "dept", "univ", "e.g", "i.e",
    "u.s", "u.k", "u.n",
];

/// Top-level sentences of a note.
pub fn sentences(s: &str) -> Vec<&str> {
    let mut cuts = Vec::new();
    walk(s, |b, c, depth| {
        if depth != 0 || !matches!(c, '.' | '?' | '!') {
            return;
        }
        let after = &s[b + 1..];
        let trimmed = after.trim_start();
        if trimmed.len() == after.len() || trimmed.is_empty() {
            return;
        }
        let n = trimmed.chars().next().unwrap_or(' ');
        if !(n.is_uppercase() || matches!(n, '‘' | '“' | '"' | '\'' | '<' | '[')) {
            return;
        }
        if c == '.' {
            let before = &s[..b];
            let word: String = before
                .chars()
                .rev()
                .take_while(|ch| ch.is_alphanumeric() || *ch == '.')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let w = word.to_lowercase();
            if w.chars().count() == 1 && w.chars().all(|c| c.is_alphabetic()) {
                return; // an initial
            }
            if ABBREV.contains(&w.as_str()) {
                return;
            }
        }
        cuts.push(b + 1);
    });
    let mut out = Vec::new();
    let mut start = 0;
    for cut in cuts {
        let t = s[start..cut].trim();
        if !t.is_empty() {
            out.push(t);
        }
        start = cut;
    }
    let t = s[start..].trim();
    if !t.is_empty() {
        out.push(t);
    }
    out
}

/// For a field that starts with an opening quote: (the quoted text, what
/// follows the closing quote). An unclosed quote runs to the end.
pub fn quoted_prefix(f: &str) -> (&str, &str) {
    let Some(open) = f.chars().next() else {
        return ("", "");
    };
    if closer_of(open).is_none() || matches!(open, '[' | '(' | '<') {
        return (f, "");
    }
    let mut close_at = None;
    // Find where depth returns to zero after the first char.
    let mut depth_after: Vec<(usize, usize)> = Vec::new();
    walk(f, |b, c, depth| depth_after.push((b + c.len_utf8(), depth)));
    // depth before char k+1 == depth after char k
    for w in depth_after.windows(2) {
        let (end_k, _) = w[0];
        let (_, depth_next) = w[1];
        if end_k > open.len_utf8() && depth_next == 0 {
            close_at = Some(end_k);
            break;
        }
    }
    if close_at.is_none() {
        // closed at the very end?
        let last = f.chars().last().unwrap_or(' ');
        if f.len() > open.len_utf8() && closer_of(open) == Some(last) {
            close_at = Some(f.len());
        }
    }
    match close_at {
        Some(e) => {
            let close_len = f[..e].chars().last().map(|c| c.len_utf8()).unwrap_or(0);
            (&f[open.len_utf8()..e - close_len], &f[e..])
        }
        None => (&f[open.len_utf8()..], ""),
    }
}

/// Byte index of the bracket closing the one at byte `i`.
pub fn matching_close(s: &str, i: usize) -> Option<usize> {
    let open = s[i..].chars().next()?;
    let close = closer_of(open)?;
    let mut depth = 0usize;
    for (b, c) in s[i..].char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i + b);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_inside_quotes_do_not_split() {
        let p: Vec<&str> = split_top(
            "SCO, ‘Zhōng, é, hā’ [‘China, Russia’], 11 November 2000",
            ',',
        )
        .iter()
        .map(|p| p.text.trim())
        .collect();
        assert_eq!(
            p,
            vec![
                "SCO",
                "‘Zhōng, é, hā’ [‘China, Russia’]",
                "11 November 2000"
            ]
        );
    }

    #[test]
    fn apostrophes_are_not_closing_quotes() {
        let p: Vec<&str> = split_top("A, ‘Pravitel’stva, Huawei’s plan’, 2019", ',')
            .iter()
            .map(|p| p.text.trim())
            .collect();
        assert_eq!(p, vec!["A", "‘Pravitel’stva, Huawei’s plan’", "2019"]);
    }

    #[test]
    fn sentences_skip_initials_and_abbreviations() {
        let s =
            sentences("Prose about E. Smith and No. 5 here. See Ministry, ‘Title. Part’, 2019.");
        assert_eq!(
            s,
            vec![
                "Prose about E. Smith and No. 5 here.",
                "See Ministry, ‘Title. Part’, 2019."
            ]
        );
    }

    #[test]
    fn quoted_prefix_handles_translation_and_unclosed() {
        assert_eq!(
            quoted_prefix("‘Tǎjíkè’ [‘Tajikistan’]"),
            ("Tǎjíkè", " [‘Tajikistan’]")
        );
        assert_eq!(quoted_prefix("‘Unclosed title."), ("Unclosed title.", ""));
        assert_eq!(quoted_prefix("“A ‘nested’ one”"), ("A ‘nested’ one", ""));
    }
}
