//! HTML pages: the article, not the navigation.
//!
//! The page is parsed by the positioned tokenizer of [`crate::markup`]
//! (scraper and html5ever build a DOM but forget where each node came from,
//! and every part here must point back into the file). The article is the
//! first of: `<article>` (several top-level `<article>`s make an archive page
//! with one document each), `[itemprop=articleBody]`, `[role=main]`, `<main>`,
//! else the element whose own paragraphs hold the most text.
//!
//! Metadata comes from the page head where it is explicit (Open Graph,
//! `article:*`, `meta name=author|date`, `link rel=canonical`) and from the
//! article where it is not (`<h1>`, `.byline`, `rel=author`, `<time datetime>`).
//! Every field found keeps its evidence: the attribute value or the text it came from.
//!
//! Representation decisions (see [`crate::markup::Walker`]):
//! - a footnote reference such as `<sup><a href="#fn3">3</a></sup>` is kept as
//!   written (`3`, glued to the word before it, as in scraped text), so the
//!   notes stage treats HTML and plain text alike;
//! - each note of a footnotes list (`ol.footnotes`, `section.footnotes`,
//!   `div.footnotes`, `role=doc-endnotes`, `<li id="fn3">`, an `<ol>` under a
//!   Notes heading) is one `notes` part `N. text`, with back-links (`↩`) removed;
//! - `figcaption` and WordPress captions are `caption`; `h2`–`h6` are
//!   `section_heading` (`notes_heading` for Notes, Endnotes...); `p`, list items
//!   and loose text are `body`; an article `<footer>` gives `trailer` parts.
use std::sync::LazyLock;

use annals_model::text::CharIndex;
use annals_model::{Diagnostic, Document, Evidence, Part, PartKind, Source};

use regex::Regex;

use crate::markup::{
    evidence_at, iso_date, split_authors, Locator, Node, Tree, WalkOptions, Walker, SKIP,
};

/// Reads an HTML page: one document, or one per `<article>` on an archive page.
pub(crate) fn read(source: &Source) -> (Vec<Document>, Vec<Diagnostic>) {
    let inp = source.text.as_str();
    let ci = CharIndex::new(inp);
    let loc = Locator::shifted(&ci, 0);
    let tree = Tree::parse(inp);
    let page = Page {
        tree: &tree,
        inp,
        loc: &loc,
        source,
        ci: &ci,
    };
    let meta = page.meta();
    let roots = article_roots(&tree);
    let mut docs = Vec::new();
    let mut diags = Vec::new();
    let archive = roots.len() > 1;
    let page_category = page.archive_category(&meta);
    for &root in &roots {
        let mut doc = page.document(root, &meta, archive);
        if doc.category.is_none() {
            doc.category = page_category.clone();
        }
        if doc.parts.is_empty() {
            diags.push(Diagnostic::warning(
                &source.path,
                Some(source.line_of(loc.char_at(tree.start_of(root)))),
                "no-article-text",
                "no article text found in this page",
            ));
            continue;
        }
        docs.push(doc);
    }
    crate::dedupe_ids(&mut docs);
    (docs, diags)
}

/// One `<meta>`-like value: key, decoded value and evidence.
struct MetaValue {
    key: String,
    value: String,
    evidence: Evidence,
}

struct Page<'a> {
    tree: &'a Tree,
    inp: &'a str,
    loc: &'a Locator<'a>,
    source: &'a Source,
    ci: &'a CharIndex,
}

impl Page<'_> {
    fn attr_evidence(&self, id: usize, name: &str) -> Option<(String, Evidence)> {
        let a = self.tree.attr(id, name)?;
        let r = self.loc.range(a.range.clone());
        Some((
            a.value.trim().to_string(),
            evidence_at(self.source, self.ci, r),
        ))
    }

    /// Every `meta`, `link rel=canonical` and `title` of the page.
    fn meta(&self) -> Vec<MetaValue> {
        let t = self.tree;
        let mut out = Vec::new();
        for id in t.descendants(0) {
            match t.name(id) {
                "meta" => {
                    let key = ["property", "name", "itemprop"]
                        .iter()
                        .map(|k| t.attr_value(id, k))
                        .find(|v| !v.is_empty())
                        .unwrap_or("")
                        .to_lowercase();
                    if let Some((value, evidence)) = self.attr_evidence(id, "content") {
                        if !key.is_empty() && !value.is_empty() {
                            out.push(MetaValue {
                                key,
                                value,
                                evidence,
                            });
                        }
                    }
                }
                "link" if t.attr_value(id, "rel").eq_ignore_ascii_case("canonical") => {
                    if let Some((value, evidence)) = self.attr_evidence(id, "href") {
                        out.push(MetaValue {
                            key: "canonical".into(),
                            value,
                            evidence,
                        });
                    }
                }
                "script"
                    if t.attr_value(id, "type")
                        .eq_ignore_ascii_case("application/ld+json") =>
                {
                    for &c in t.children(id) {
                        if let Node::Text(r) = &t.nodes[c] {
                            self.json_ld(r.clone(), &mut out);
                        }
                    }
                }
                "title" if !t.is_within_name(id, "svg") => {
                    let w = Walker::new(t, self.inp, self.loc, self.source, WalkOptions::default());
                    let buf = w.text_of_raw(id);
                    if let Some(ev) = buf.evidence(self.source) {
                        out.push(MetaValue {
                            key: "title".into(),
                            value: ev.text.clone(),
                            evidence: ev,
                        });
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Schema.org metadata in `<script type="application/ld+json">` (many news
    /// sites state date and authors only there): `ld:headline`,
    /// `ld:datepublished`, `ld:author`, `ld:publisher`, each with the span of
    /// its JSON string.
    fn json_ld(&self, r: std::ops::Range<usize>, out: &mut Vec<MetaValue>) {
        let raw = &self.inp[r.clone()];
        let Ok(v) = serde_json::from_str::<serde_json::Value>(raw.trim()) else {
            return;
        };
        let mut todo = vec![&v];
        while let Some(v) = todo.pop() {
            match v {
                serde_json::Value::Array(a) => todo.extend(a.iter().rev()),
                serde_json::Value::Object(o) => {
                    if let Some(g) = o.get("@graph") {
                        todo.push(g);
                    }
                    let types: Vec<&str> = match o.get("@type") {
                        Some(serde_json::Value::String(t)) => vec![t.as_str()],
                        Some(serde_json::Value::Array(a)) => {
                            a.iter().filter_map(|t| t.as_str()).collect()
                        }
                        _ => Vec::new(),
                    };
                    if !types
                        .iter()
                        .any(|t| t.ends_with("Article") || *t == "BlogPosting" || *t == "Report")
                    {
                        continue;
                    }
                    let name_of = |v: &serde_json::Value| -> Vec<String> {
                        match v {
                            serde_json::Value::String(s) => vec![s.clone()],
                            serde_json::Value::Object(o) => o
                                .get("name")
                                .and_then(|n| n.as_str())
                                .map(|s| vec![s.to_string()])
                                .unwrap_or_default(),
                            serde_json::Value::Array(a) => a
                                .iter()
                                .filter_map(|x| match x {
                                    serde_json::Value::String(s) => Some(s.clone()),
                                    serde_json::Value::Object(o) => {
                                        o.get("name").and_then(|n| n.as_str()).map(str::to_string)
                                    }
                                    _ => None,
                                })
                                .collect(),
                            _ => Vec::new(),
                        }
                    };
                    for (field, key) in [
                        ("headline", "ld:headline"),
                        ("datePublished", "ld:datepublished"),
                        ("author", "ld:author"),
                        ("publisher", "ld:publisher"),
                    ] {
                        for value in o.get(field).map(name_of).unwrap_or_default() {
                            let Ok(quoted) = serde_json::to_string(&value) else {
                                continue;
                            };
                            let Some(p) = raw.find(&quoted) else { continue };
                            let span = self
                                .loc
                                .range(r.start + p + 1..r.start + p + quoted.len() - 1);
                            let evidence = evidence_at(self.source, self.ci, span);
                            out.push(MetaValue {
                                key: key.into(),
                                value,
                                evidence,
                            });
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn document(&self, root: usize, meta: &[MetaValue], archive: bool) -> Document {
        let t = self.tree;
        let get = |keys: &[&str]| -> Option<&MetaValue> {
            if archive {
                return None; // page metadata describes the page, not each post
            }
            keys.iter().find_map(|k| meta.iter().find(|m| m.key == *k))
        };
        let site = meta
            .iter()
            .find(|m| m.key == "og:site_name")
            .or_else(|| meta.iter().find(|m| m.key == "ld:publisher"));
        let opts = WalkOptions {
            autop: false,
            first_heading_is_title: archive,
            titles: true,
        };
        let mut w = Walker::new(t, self.inp, self.loc, self.source, opts);
        if !archive && !t.descendants(root).iter().any(|&n| t.name(n) == "h1") {
            if let Some(h1) = self.outside_title(root, meta) {
                w.walk(h1);
            }
        }
        w.walk(root);
        let mut parts: Vec<Part> = std::mem::take(&mut w.parts);
        parts.sort_by_key(|p| p.span.start);

        let first = |k: PartKind| parts.iter().find(|p| p.kind == k);
        let title = get(&["og:title", "twitter:title", "ld:headline"])
            .map(|m| strip_site(&m.value, site.map(|s| s.value.as_str())))
            .or_else(|| first(PartKind::Title).map(|p| p.text.clone()))
            .or_else(|| {
                get(&["title"]).map(|m| strip_site(&m.value, site.map(|s| s.value.as_str())))
            });

        // Authors: explicit metadata, then what the article shows.
        let mut authors = Vec::new();
        let mut authors_evidence = None;
        let metas_of = |keys: &[&str]| -> Vec<&MetaValue> {
            if archive {
                return Vec::new();
            }
            meta.iter()
                .filter(|m| keys.contains(&m.key.as_str()))
                .collect()
        };
        let mut author_metas = metas_of(&["author", "dc.creator", "citation_author"]);
        if author_metas.is_empty() {
            author_metas = metas_of(&["ld:author"]);
        }
        for m in &author_metas {
            authors.extend(split_authors(&m.value));
        }
        if let Some(m) = author_metas.first() {
            authors_evidence = Some(m.evidence.clone());
        }
        if authors.is_empty() {
            if let Some(b) = first(PartKind::Byline) {
                authors = split_authors(&b.text);
                authors_evidence = Some(Evidence {
                    text: b.text.clone(),
                    span: b.span,
                });
            }
        }
        if authors.is_empty() {
            let scope = if archive { root } else { 0 };
            let found = t.descendants(scope).into_iter().find(|&n| {
                (t.attr_value(n, "rel")
                    .split_whitespace()
                    .any(|r| r == "author")
                    || t.attr_value(n, "itemprop") == "author")
                    && !t.is_within_name(n, "nav")
            });
            if let Some(n) = found {
                let w = Walker::new(t, self.inp, self.loc, self.source, WalkOptions::default());
                if let Some(ev) = w.text_of(n).evidence(self.source) {
                    authors = split_authors(&ev.text);
                    authors_evidence = Some(ev);
                }
            }
        }
        authors.dedup();

        // Date: published_time, then <time datetime>, then other metadata, then the byline.
        let mut date = None;
        let mut date_evidence = None;
        if let Some(m) = get(&[
            "article:published_time",
            "og:published_time",
            "ld:datepublished",
        ]) {
            date = iso_date(&m.value);
            date_evidence = date.as_ref().map(|_| m.evidence.clone());
        }
        if date.is_none() {
            let scopes = if archive { vec![root] } else { vec![root, 0] };
            'scopes: for scope in scopes {
                for n in t.descendants(scope) {
                    let attr = if t.name(n) == "time" {
                        "datetime"
                    } else if t.attr_value(n, "itemprop") == "datepublished"
                        || t.attr_value(n, "itemprop") == "datePublished"
                    {
                        if t.attr(n, "datetime").is_some() {
                            "datetime"
                        } else {
                            "content"
                        }
                    } else {
                        continue;
                    };
                    if let Some((v, ev)) = self.attr_evidence(n, attr) {
                        if let Some(d) = iso_date(&v) {
                            date = Some(d);
                            date_evidence = Some(ev);
                            break 'scopes;
                        }
                    }
                }
            }
        }
        if date.is_none() {
            if let Some(m) = get(&[
                "date",
                "dc.date",
                "dc.date.issued",
                "pubdate",
                "publishdate",
                "citation_publication_date",
                "datepublished",
            ]) {
                date = iso_date(&m.value);
                date_evidence = date.as_ref().map(|_| m.evidence.clone());
            }
        }
        if date.is_none() {
            if let Some(b) = first(PartKind::Byline) {
                date = iso_date(&b.text);
                date_evidence = date.as_ref().map(|_| Evidence {
                    text: b.text.clone(),
                    span: b.span,
                });
            }
        }

        let mut category = get(&["article:section"]).map(|m| m.value.clone());
        let mut tags: Vec<String> = if archive {
            Vec::new()
        } else {
            meta.iter()
                .filter(|m| m.key == "article:tag")
                .map(|m| m.value.clone())
                .collect()
        };
        for n in t.descendants(root) {
            let rel = t.attr_value(n, "rel");
            if t.name(n) != "a" {
                continue;
            }
            let w = Walker::new(t, self.inp, self.loc, self.source, WalkOptions::default());
            let text = w.text_of(n).text();
            if rel.split_whitespace().any(|r| r == "category")
                && category.is_none()
                && !text.is_empty()
            {
                category = Some(text);
            } else if rel.split_whitespace().any(|r| r == "tag")
                && !text.is_empty()
                && !tags.contains(&text)
            {
                tags.push(text);
            }
        }
        let standfirst = first(PartKind::Standfirst)
            .map(|p| p.text.clone())
            .or_else(|| get(&["og:description", "description"]).map(|m| m.value.clone()));
        let url = get(&["canonical", "og:url"]).map(|m| m.value.clone());
        let lines = match (
            parts.iter().map(|p| p.lines[0]).min(),
            parts.iter().map(|p| p.lines[1]).max(),
        ) {
            (Some(a), Some(b)) => [a, b],
            _ => [1, 1],
        };
        let stem = std::path::Path::new(&self.source.path)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("page")
            .to_string();
        Document {
            id: crate::slug(title.as_deref().unwrap_or(&stem), 6),
            source: self.source.path.clone(),
            title,
            standfirst,
            outlet: site.map(|s| s.value.clone()),
            outlet_evidence: site.map(|s| s.evidence.clone()),
            authors,
            authors_evidence,
            date,
            date_evidence,
            category,
            tags,
            url,
            lines,
            parts,
        }
    }

    /// The category an archive page lists ("Archive for the ‘X’ Category",
    /// "Category Archives: X"), from its `<title>` or a heading.
    fn archive_category(&self, meta: &[MetaValue]) -> Option<String> {
        static RE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?i)(?:archive for the\s+[‘'"“]([^’'"”]+)[’'"”]\s+category|category(?:\s+archives)?:\s*([^|–—]+))"#)
                .unwrap()
        });
        let t = self.tree;
        let headings = t
            .descendants(0)
            .into_iter()
            .filter(|&n| matches!(t.name(n), "h1" | "h2"))
            .map(|n| {
                let w = Walker::new(t, self.inp, self.loc, self.source, WalkOptions::default());
                w.text_of(n).text()
            });
        let titles = meta
            .iter()
            .filter(|m| m.key == "title")
            .map(|m| m.value.clone());
        titles.chain(headings).find_map(|text| {
            let c = RE.captures(&text)?;
            let m = c.get(1).or_else(|| c.get(2))?;
            Some(m.as_str().trim().to_string()).filter(|s| !s.is_empty())
        })
    }

    /// The article's `<h1>` when it sits outside the article element (in a page
    /// header): the one whose text the page's title repeats.
    fn outside_title(&self, root: usize, meta: &[MetaValue]) -> Option<usize> {
        let t = self.tree;
        let titles: Vec<String> = meta
            .iter()
            .filter(|m| m.key == "og:title" || m.key == "title")
            .map(|m| m.value.to_lowercase())
            .collect();
        t.descendants(0).into_iter().find(|&n| {
            if t.name(n) != "h1" || t.is_within(n, root) || t.is_within_name(n, "nav") {
                return false;
            }
            let w = Walker::new(t, self.inp, self.loc, self.source, WalkOptions::default());
            let text = w.text_of(n).text().to_lowercase();
            !text.is_empty() && titles.iter().any(|tt| tt.contains(&text))
        })
    }
}

/// Strips a trailing ` | Site` or ` - Site` from a page title.
fn strip_site(title: &str, site: Option<&str>) -> String {
    let title = title.trim();
    if let Some(site) = site {
        for sep in [" | ", " - ", " – ", " — ", " :: "] {
            if let Some(head) = title.strip_suffix(site).and_then(|h| h.strip_suffix(sep)) {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// The elements holding the article text (several on an archive page).
fn article_roots(t: &Tree) -> Vec<usize> {
    let all = t.descendants(0);
    let skipped =
        |n: usize| SKIP.iter().any(|s| t.is_within_name(n, s)) || t.is_within_name(n, "aside");
    let articles: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&n| t.name(n) == "article" && !skipped(n))
        .filter(|&n| !t.is_within_name(t.parent[n], "article"))
        .filter(|&n| t.text_len(n) > 80)
        .collect();
    if !articles.is_empty() {
        return articles;
    }
    let by = |f: &dyn Fn(usize) -> bool| all.iter().copied().find(|&n| f(n) && !skipped(n));
    if let Some(n) = by(&|n| {
        t.attr_value(n, "itemprop")
            .eq_ignore_ascii_case("articlebody")
    })
    .or_else(|| by(&|n| t.attr_value(n, "role") == "main"))
    .or_else(|| by(&|n| t.name(n) == "main"))
    {
        return vec![n];
    }
    // The densest block: the element whose own paragraphs hold the most text.
    let best = all
        .iter()
        .copied()
        .filter(|&n| !skipped(n) && !matches!(t.name(n), "#root" | "html" | "p"))
        .map(|n| {
            let score: usize = t
                .children(n)
                .iter()
                .filter(|&&c| t.name(c) == "p")
                .map(|&c| t.text_len(c))
                .sum();
            (score, n)
        })
        .max_by_key(|&(score, n)| (score, std::cmp::Reverse(n)));
    match best {
        Some((score, n)) if score > 0 => vec![n],
        _ => vec![all
            .iter()
            .copied()
            .find(|&n| t.name(n) == "body")
            .unwrap_or(0)],
    }
}
