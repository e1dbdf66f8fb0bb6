//! Small text utilities every extraction stage needs: sentence boundaries and
//! character/byte offset conversion. Offsets in annals are characters (Unicode
//! scalar values); Rust strings index by bytes, so stages convert at the edge.

/// Character offset → byte offset in `s` (clamped to `s.len()`).
pub fn char_to_byte(s: &str, char_offset: usize) -> usize {
    s.char_indices()
        .nth(char_offset)
        .map(|(b, _)| b)
        .unwrap_or(s.len())
}

/// Byte offset → character offset in `s`.
pub fn byte_to_char(s: &str, byte_offset: usize) -> usize {
    s[..byte_offset.min(s.len())].chars().count()
}

/// Converts many byte offsets of one string to character offsets in one pass.
/// `bytes` need not be sorted.
pub struct CharIndex {
    /// byte offset of each char boundary, plus the end.
    starts: Vec<usize>,
}

impl CharIndex {
    /// Indexes `s`.
    pub fn new(s: &str) -> Self {
        let mut starts: Vec<usize> = s.char_indices().map(|(b, _)| b).collect();
        starts.push(s.len());
        CharIndex { starts }
    }

    /// The character offset of a byte offset (which must be a char boundary,
    /// else the next boundary's character is returned).
    pub fn char_of(&self, byte: usize) -> usize {
        self.starts.partition_point(|&b| b < byte)
    }

    /// The byte offset of a character offset.
    pub fn byte_of(&self, ch: usize) -> usize {
        self.starts
            .get(ch)
            .copied()
            .unwrap_or(*self.starts.last().unwrap_or(&0))
    }
}

/// Words that end in a period without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "gov", "sen",
    "rep", "st", "jr", "sr", "no", "nos", "vol", "vols", "pp", "p", "ed", "eds", "eg", "e.g", "ie",
    "i.e", "etc", "vs", "v", "cf", "al", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "inc", "ltd", "co", "corp", "u.s", "u.k", "u.n", "u.s.a", "fig",
    "approx", "est", "op", "cit", "ibid", "rev", "hon", "pres", "amb", "min", "dept", "univ",
];

/// Sentence boundaries of `text`, as character ranges `(start, end)` that cover
/// every non-space character. Whitespace between sentences is left out.
///
/// Rule-based: a sentence ends at `.`, `!` or `?` (plus closing quotes and
/// brackets, and note markers glued after the stop, e.g. `ground.25`) followed
/// by whitespace and a character that can start a sentence; known abbreviations
/// and single-letter initials do not end sentences.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut out = Vec::new();
    let mut start = 0;
    // skip leading space
    while start < n && chars[start].is_whitespace() {
        start += 1;
    }
    let mut i = start;
    while i < n {
        let c = chars[i];
        if c == '.' || c == '!' || c == '?' || c == '…' {
            let mut j = i + 1;
            // swallow more stops, closing quotes and brackets
            while j < n
                && matches!(
                    chars[j],
                    '.' | '!' | '?' | '"' | '\'' | '’' | '”' | ')' | ']' | '»'
                )
            {
                j += 1;
            }
            // glued note markers: digits right after the stop
            let mut k = j;
            while k < n && chars[k].is_ascii_digit() && k - j < 3 {
                k += 1;
            }
            if k > j && (k == n || chars[k].is_whitespace()) {
                j = k;
            }
            if j >= n || chars[j].is_whitespace() {
                // next non-space
                let mut m = j;
                while m < n && chars[m].is_whitespace() {
                    m += 1;
                }
                let can_start = m >= n
                    || chars[m].is_uppercase()
                    || chars[m].is_ascii_digit()
                    || matches!(chars[m], '"' | '“' | '‘' | '\'' | '(' | '[' | '—' | '–');
                if can_start && !(c == '.' && j == i + 1 && is_abbreviation(&chars, start, i)) {
                    out.push((start, j));
                    start = m;
                    i = m;
                    continue;
                }
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    // trailing sentence without final stop
    let mut end = n;
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    if end > start {
        out.push((start, end));
    }
    out
}

fn is_abbreviation(chars: &[char], sentence_start: usize, dot: usize) -> bool {
    let mut b = dot;
    while b > sentence_start && (chars[b - 1].is_alphabetic() || chars[b - 1] == '.') {
        b -= 1;
    }
    let word: String = chars[b..dot].iter().collect::<String>().to_lowercase();
    if word.is_empty() {
        return false;
    }
    // single initials: "J." but not the pronoun "I."
    if word.chars().count() == 1 && chars[b].is_uppercase() && chars[b] != 'I' {
        return true;
    }
    ABBREVIATIONS.contains(&word.trim_end_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(t: &str) -> Vec<String> {
        sentences(t)
            .into_iter()
            .map(|(s, e)| t.chars().skip(s).take(e - s).collect())
            .collect()
    }

    #[test]
    fn splits_on_stops_but_not_abbreviations() {
        assert_eq!(
            split("Gen. Fang visited Kabul in 2016. The U.S. left. Did it?  Yes."),
            vec![
                "Gen. Fang visited Kabul in 2016.",
                "The U.S. left.",
                "Did it?",
                "Yes."
            ]
        );
    }

    #[test]
    fn keeps_glued_markers_with_their_sentence() {
        assert_eq!(
            split("It was on the ground.25 Then more."),
            vec!["It was on the ground.25", "Then more."]
        );
    }

    #[test]
    fn closing_quotes_stay_inside() {
        assert_eq!(
            split("He said ‘no.’ She left."),
            vec!["He said ‘no.’", "She left."]
        );
    }

    #[test]
    fn char_index_round_trips() {
        let s = "é a ’b";
        let ix = CharIndex::new(s);
        for (ci, (b, _)) in s.char_indices().enumerate() {
            assert_eq!(ix.char_of(b), ci);
            assert_eq!(ix.byte_of(ci), b);
        }
    }
}
