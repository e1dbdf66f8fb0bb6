//! Notes' references in the formats reference managers read: CSL-JSON,
//! BibTeX and RIS.
use annals_model::notes::{CslDate, CslItem, CslName};
use serde_json::Value;

/// CSL-JSON: an array of items; items without an id get `item-N`.
pub fn to_csl_json(items: &[CslItem]) -> Value {
    let arr: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let mut it = it.clone();
            if it.id.is_none() {
                it.id = Some(format!("item-{}", i + 1));
            }
            if it.kind.is_empty() {
                it.kind = "document".into();
            }
            let mut v = serde_json::to_value(&it).unwrap_or(Value::Null);
            if let Some(o) = v.as_object_mut() {
                // CSL 1.0.1 readers know the event's name as `event`.
                if let Some(e) = o.remove("event-title") {
                    o.insert("event".into(), e);
                }
            }
            v
        })
        .collect();
    Value::Array(arr)
}

fn bib_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn bib_names(v: &[CslName]) -> String {
    v.iter()
        .map(|n| match (&n.literal, &n.family, &n.given) {
            (Some(l), _, _) => format!("{{{}}}", bib_escape(l)),
            (None, Some(f), Some(g)) => format!("{}, {}", bib_escape(f), bib_escape(g)),
            (None, Some(f), None) => bib_escape(f),
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

fn bib_type(kind: &str) -> &'static str {
    match kind {
        "article-journal" | "article-newspaper" | "article-magazine" | "article" => "article",
        "book" => "book",
        "chapter" => "incollection",
        "report" => "techreport",
        "thesis" => "phdthesis",
        "paper-conference" => "inproceedings",
        _ => "misc",
    }
}

fn key_of(it: &CslItem, i: usize) -> String {
    let who = it
        .author
        .first()
        .and_then(|a| a.family.clone().or_else(|| a.literal.clone()))
        .unwrap_or_else(|| "anon".into());
    let who: String = who
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(16)
        .collect();
    let year = it
        .issued
        .as_ref()
        .and_then(|d| d.date_parts.first())
        .and_then(|p| p.first())
        .map(|y| y.to_string())
        .unwrap_or_default();
    format!("{}{}_{}", who.to_lowercase(), year, i + 1)
}

/// BibTeX entries, one per item.
pub fn to_bibtex(items: &[CslItem]) -> String {
    let mut out = String::new();
    for (i, it) in items.iter().enumerate() {
        let key = it.id.clone().unwrap_or_else(|| key_of(it, i));
        out.push_str(&format!("@{}{{{},\n", bib_type(&it.kind), key));
        let mut field = |k: &str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                out.push_str(&format!("  {k} = {{{v}}},\n"));
            }
        };
        field(
            "author",
            (!it.author.is_empty()).then(|| bib_names(&it.author)),
        );
        field(
            "editor",
            (!it.editor.is_empty()).then(|| bib_names(&it.editor)),
        );
        field("title", it.title.as_deref().map(bib_escape));
        let container_key = match bib_type(&it.kind) {
            "article" => "journal",
            "incollection" | "inproceedings" => "booktitle",
            // a report's container is its series ("Policy Briefs", No. 63)
            "techreport" => "series",
            _ => "howpublished",
        };
        field(container_key, it.container_title.as_deref().map(bib_escape));
        if container_key != "series" {
            field("series", it.collection_title.as_deref().map(bib_escape));
        }
        if let Some(p) = it.issued.as_ref().and_then(|d| d.date_parts.first()) {
            field("year", p.first().map(|y| y.to_string()));
            field("month", p.get(1).map(|m| m.to_string()));
            field("day", p.get(2).map(|d| d.to_string()));
        }
        field("volume", it.volume.clone());
        field("number", it.issue.clone().or_else(|| it.number.clone()));
        field("pages", it.page.as_ref().map(|p| p.replace('–', "--")));
        field(
            if it.kind == "report" {
                "institution"
            } else {
                "publisher"
            },
            it.publisher.as_deref().map(bib_escape),
        );
        field("address", it.publisher_place.as_deref().map(bib_escape));
        field("url", it.url.clone());
        field("doi", it.doi.clone());
        field("urldate", it.accessed.as_ref().and_then(CslDate::iso));
        let mut notes: Vec<String> = Vec::new();
        if let Some(t) = &it.original_title {
            notes.push(format!("[{}]", bib_escape(t)));
        }
        if let Some(n) = &it.note {
            notes.push(bib_escape(n));
        }
        field("note", (!notes.is_empty()).then(|| notes.join(" ")));
        out.push_str("}\n\n");
    }
    out
}

fn ris_type(kind: &str) -> &'static str {
    match kind {
        "article-journal" => "JOUR",
        "article-newspaper" => "NEWS",
        "article-magazine" => "MGZN",
        "book" => "BOOK",
        "chapter" => "CHAP",
        "report" => "RPRT",
        "webpage" => "ELEC",
        "speech" => "SOUND",
        "interview" => "PCOMM",
        "dataset" => "DATA",
        _ => "GEN",
    }
}

fn ris_date(d: &CslDate) -> Option<String> {
    let p = d.date_parts.first()?;
    Some(match p.as_slice() {
        [y] => format!("{y:04}///"),
        [y, m] => format!("{y:04}/{m:02}//"),
        [y, m, dd, ..] => format!("{y:04}/{m:02}/{dd:02}/"),
        [] => return None,
    })
}

/// RIS records, one per item.
pub fn to_ris(items: &[CslItem]) -> String {
    let mut out = String::new();
    for it in items {
        let mut line = |tag: &str, v: &str| {
            if !v.is_empty() {
                out.push_str(&format!("{tag}  - {v}\n"));
            }
        };
        line("TY", ris_type(&it.kind));
        for a in &it.author {
            let s = match (&a.literal, &a.family, &a.given) {
                (Some(l), _, _) => l.clone(),
                (None, Some(f), Some(g)) => format!("{f}, {g}"),
                (None, Some(f), None) => f.clone(),
                _ => continue,
            };
            line("AU", &s);
        }
        for a in &it.editor {
            if let Some(f) = a.family.clone().or_else(|| a.literal.clone()) {
                let s = match &a.given {
                    Some(g) => format!("{f}, {g}"),
                    None => f,
                };
                line("ED", &s);
            }
        }
        if let Some(t) = &it.title {
            line("TI", t);
        }
        if let Some(t) = &it.original_title {
            line("TT", t);
        }
        if let Some(c) = &it.container_title {
            line("T2", c);
        }
        if let Some(c) = &it.collection_title {
            line("T3", c);
        }
        if let Some(d) = it.issued.as_ref().and_then(ris_date) {
            line("DA", &d);
            line("PY", &d[..4]);
        }
        if let Some(v) = &it.volume {
            line("VL", v);
        }
        if let Some(v) = it.issue.as_ref().or(it.number.as_ref()) {
            line("IS", v);
        }
        if let Some(p) = &it.page {
            let mut parts = p.splitn(2, ['-', '–']);
            if let Some(sp) = parts.next() {
                line("SP", sp.trim());
            }
            if let Some(ep) = parts.next() {
                line("EP", ep.trim());
            }
        }
        if let Some(v) = &it.publisher {
            line("PB", v);
        }
        if let Some(v) = &it.publisher_place {
            line("CY", v);
        }
        if let Some(v) = &it.url {
            line("UR", v);
        }
        if let Some(v) = &it.doi {
            line("DO", v);
        }
        if let Some(d) = it.accessed.as_ref().and_then(CslDate::iso) {
            line("Y2", &d);
        }
        if let Some(n) = &it.note {
            line("N1", n);
        }
        out.push_str("ER  - \n\n");
    }
    out
}
