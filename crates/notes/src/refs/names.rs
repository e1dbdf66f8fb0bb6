//! Names as CSL wants them: persons split into family and given names,
//! organisations kept whole.
use annals_model::notes::CslName;

/// How the names in a string are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameStyle {
    /// `Peter Irwin`, `O. Ambacher`.
    Natural,
    /// `Nichols, Bill`, `Smith, J. R.`.
    Inverted,
    /// Decide from the text.
    Auto,
}

/// A person's name written `Given Family` (`Peter Irwin`, `Xi Jinping`); one
/// word is a family name.
pub fn person_from_natural(n: &str) -> CslName {
    let n = n.trim().trim_end_matches([',', '.', ';']).trim();
    let words: Vec<&str> = n.split_whitespace().collect();
    match words.len() {
        0 => CslName {
            family: None,
            given: None,
            literal: None,
        },
        1 => CslName {
            family: Some(words[0].to_string()),
            given: None,
            literal: None,
        },
        _ => {
            // particles stay with the family name: "Ursula von der Leyen"
            let mut k = words.len() - 1;
            while k > 1
                && words[k - 1]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_lowercase())
            {
                k -= 1;
            }
            CslName {
                family: Some(words[k..].join(" ")),
                given: Some(words[..k].join(" ")),
                literal: None,
            }
        }
    }
}

fn is_initials(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty()
        && t.split([' ', '.', '-'])
            .filter(|w| !w.is_empty())
            .all(|w| w.chars().count() <= 2 && w.chars().next().is_some_and(|c| c.is_uppercase()))
}

/// Splits a string of author names (`Nichols, Bill.`, `O. Ambacher, B. Foutz,
/// and M. Stutzmann`, `Smith, J., & Jones, K.`) into names.
pub fn parse_names(s: &str, style: NameStyle) -> Vec<CslName> {
    let mut t = s
        .trim()
        .trim_end_matches([',', ';', ':'])
        .trim()
        .to_string();
    // a final stop ends the field unless it ends an initial ("Jones, K.")
    let initial_end = t.ends_with('.') && {
        let w: Vec<char> = t.chars().rev().skip(1).take(2).collect();
        w.first().is_some_and(|c| c.is_uppercase()) && w.get(1).is_none_or(|c| !c.is_alphabetic())
    };
    if !initial_end {
        t = t.trim_end_matches('.').to_string();
    }
    for p in [
        "edited by ",
        "Edited by ",
        "ed. ",
        "eds. ",
        "Ed. ",
        "Eds. ",
        "by ",
        "By ",
        "trans. ",
        "Trans. ",
    ] {
        if let Some(r) = t.strip_prefix(p) {
            t = r.to_string();
        }
    }
    for suf in [
        " et al", " et al.", " (eds)", " (eds.)", " (ed.)", " (ed)", ", eds", ", ed", " eds", " ed",
    ] {
        if let Some(r) = t.strip_suffix(suf) {
            t = r.trim().to_string();
        }
    }
    let t = t
        .replace(" & ", ", ")
        .replace(" and ", ", ")
        .replace("; ", ", ");
    let parts: Vec<String> = t
        .split(',')
        .map(|p| p.trim().trim_start_matches("and ").trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return Vec::new();
    }
    let inverted = match style {
        NameStyle::Inverted => true,
        NameStyle::Natural => false,
        NameStyle::Auto => {
            parts.len() >= 2
                && !parts[0].contains(' ')
                && (is_initials(&parts[1]) || parts[1].split_whitespace().count() <= 2)
        }
    };
    let mut out = Vec::new();
    if inverted {
        let mut i = 0;
        while i < parts.len() {
            let family = parts[i].clone();
            let given = parts.get(i + 1).filter(|g| {
                is_initials(g) || !g.contains(' ') || g.split_whitespace().count() <= 2
            });
            match given {
                Some(g) if i + 1 < parts.len() => {
                    out.push(CslName {
                        family: Some(family),
                        given: Some(g.clone()),
                        literal: None,
                    });
                    i += 2;
                }
                _ => {
                    out.push(person_from_natural(&family));
                    i += 1;
                }
            }
        }
    } else {
        out.extend(parts.iter().map(|p| person_from_natural(p)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(v: &[CslName]) -> Vec<String> {
        v.iter()
            .map(|n| {
                format!(
                    "{}|{}",
                    n.family.clone().unwrap_or_default(),
                    n.given.clone().unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn natural_and_inverted() {
        assert_eq!(
            show(&parse_names("Nichols, Bill.", NameStyle::Auto)),
            vec!["Nichols|Bill"]
        );
        assert_eq!(
            show(&parse_names(
                "O. Ambacher, B. Foutz, and M. Stutzmann,",
                NameStyle::Auto
            )),
            vec!["Ambacher|O.", "Foutz|B.", "Stutzmann|M."]
        );
        assert_eq!(
            show(&parse_names("Smith, J. R., & Jones, K.", NameStyle::Auto)),
            vec!["Smith|J. R.", "Jones|K."]
        );
        assert_eq!(
            show(&[person_from_natural("Ursula von der Leyen")]),
            vec!["von der Leyen|Ursula"]
        );
    }
}
