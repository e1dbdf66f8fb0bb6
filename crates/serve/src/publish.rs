//! `annals publish`: the reading room as a static site any web host can serve.
//! Pages are the server's, rendered with relative links; search runs in the
//! browser over a prebuilt inverted index (`search-index.json`).
use crate::data::Snapshot;
use crate::links::{file_name, Links};
use crate::pages::{self, TimelineFilter};
use annals_model::PartKind;
use maud::html;
use std::collections::HashMap;
use std::path::Path;

/// What was written.
#[derive(Debug, Default, serde::Serialize)]
pub struct PublishReport {
    /// Pages written.
    pub pages: usize,
    /// Passages in the search index.
    pub passages: usize,
    /// Distinct terms in the search index.
    pub terms: usize,
}

fn write(dir: &Path, rel: &str, body: &str, rep: &mut PublishReport) -> std::io::Result<()> {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(p, body)?;
    if rel.ends_with(".html") {
        rep.pages += 1;
    }
    Ok(())
}

/// Lower-cased word tokens (letters and digits), as `search.js` makes them.
pub fn tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// Writes the site into `out` (created if missing).
pub fn publish(s: &Snapshot, out: &Path) -> std::io::Result<PublishReport> {
    let mut rep = PublishReport::default();
    let top = Links::published(0);
    let sub = Links::published(1);
    write(
        out,
        "index.html",
        &pages::home(s, &top).into_string(),
        &mut rep,
    )?;
    write(
        out,
        "archive.html",
        &pages::archive(s, &top, "category").into_string(),
        &mut rep,
    )?;
    for by in ["category", "outlet", "author", "year"] {
        write(
            out,
            &format!("archive-{by}.html"),
            &pages::archive(s, &top, by).into_string(),
            &mut rep,
        )?;
    }
    write(
        out,
        "entities.html",
        &pages::entities(s, &top).into_string(),
        &mut rep,
    )?;
    write(
        out,
        "timeline.html",
        &pages::timeline(s, &top, &TimelineFilter::default()).into_string(),
        &mut rep,
    )?;
    write(
        out,
        "map.html",
        &pages::map(s, &top).into_string(),
        &mut rep,
    )?;
    write(
        out,
        "sources.html",
        &pages::sources(s, &top).into_string(),
        &mut rep,
    )?;
    let search = pages::layout(
        &top,
        "Search",
        "",
        html! {
            h1 { "Search" }
            form #static-search.bigsearch data-root="./" method="get" action="search.html" {
                input type="search" name="q" aria-label="Query";
                button type="submit" { "Search" }
            }
            p.help { "Every word must appear (no stemming in the static site)." }
            div #static-results {}
            script src=(top.asset("search.js")) defer {}
        },
    );
    write(out, "search.html", &search.into_string(), &mut rep)?;
    for d in &s.docs {
        write(
            out,
            &format!("doc/{}.html", file_name(&d.id)),
            &pages::document(s, &sub, d).into_string(),
            &mut rep,
        )?;
    }
    for id in s.entities.keys() {
        if let Some(m) = pages::entity(s, &sub, id) {
            write(
                out,
                &format!("entity/{}.html", file_name(id)),
                &m.into_string(),
                &mut rep,
            )?;
        }
    }
    write(out, "static/style.css", crate::STYLE_CSS, &mut rep)?;
    write(out, "static/app.js", crate::APP_JS, &mut rep)?;
    write(out, "static/search.js", crate::SEARCH_JS, &mut rep)?;
    // The client-side index: passages, and per term the passages with counts.
    let mut units = Vec::new();
    let mut terms: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
    for d in &s.docs {
        let title = d.title.clone().unwrap_or_else(|| "(untitled)".into());
        for (i, p) in d.parts.iter().enumerate() {
            if matches!(p.kind, PartKind::NotesHeading) || p.text.trim().is_empty() {
                continue;
            }
            let u = units.len() as u32;
            let mut tf: HashMap<String, u32> = HashMap::new();
            for t in tokens(&p.text) {
                *tf.entry(t).or_default() += 1;
            }
            for (t, n) in tf {
                terms.entry(t).or_default().push((u, n));
            }
            units.push(serde_json::json!({
                "href": format!("doc/{}.html#p{i}", crate::links::enc(&file_name(&d.id))),
                "title": title,
                "text": p.text.chars().take(400).collect::<String>(),
            }));
        }
    }
    let n = units.len().max(1) as f64;
    let idf: HashMap<&String, f64> = terms
        .iter()
        .map(|(t, v)| (t, ((n + 1.0) / (v.len() as f64 + 0.5)).ln()))
        .collect();
    rep.passages = units.len();
    rep.terms = terms.len();
    let ix = serde_json::json!({"units": units, "terms": terms, "idf": idf});
    write(out, "search-index.json", &ix.to_string(), &mut rep)?;
    Ok(rep)
}
