//! The reading room's pages, rendered on the server with maud (which escapes
//! every interpolated string: archive text is never trusted). Every page reads
//! without JavaScript; `app.js` only adds conveniences.
use crate::data::{context, text_offset, Snapshot};
use crate::links::{safe_href, Links};
use crate::svg;
use annals_index::{SearchRequest, SearchResults};
use annals_model::event::Event;
use annals_model::notes::{CslItem, CslName, Note};
use annals_model::{Document, PartKind};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use std::collections::{BTreeMap, HashMap};

/// The frame every page shares.
pub fn layout(l: &Links, title: &str, q: &str, body: Markup) -> Markup {
    let search_action = l.page("search");
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — annals" }
                link rel="stylesheet" href=(l.asset("style.css"));
                script src=(l.asset("app.js")) defer {}
            }
            body {
                header.top {
                    a.brand href=(l.page("")) { "annals" }
                    nav {
                        a href=(l.page("archive")) { "Archive" }
                        a href=(l.page("entities")) { "Entities" }
                        a href=(l.page("timeline")) { "Timeline" }
                        a href=(l.page("map")) { "Map" }
                        a href=(l.page("sources")) { "Sources" }
                    }
                    form.search role="search" action=(search_action) method="get" {
                        input type="search" name="q" value=(q) placeholder="Search the archive" aria-label="Search the archive";
                        button type="submit" { "Search" }
                    }
                }
                main id="main" { (body) }
                footer { "annals reading room — archive text is shown as written, with links to its evidence." }
            }
        }
    }
}

fn doc_title(d: &Document) -> &str {
    d.title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or("(untitled)")
}

fn year(d: &Document) -> Option<u64> {
    d.date.as_deref().and_then(annals_index::year_of)
}

/// The home page: what is in the store.
pub fn home(s: &Snapshot, l: &Links) -> Markup {
    let body = html! {
        h1 { "The archive" }
        p.lead {
            (s.stats.documents) " documents from " (s.stats.sources) " files; "
            (s.entities.len()) " entities, " (s.events.len()) " events, "
            (s.notes.values().map(Vec::len).sum::<usize>()) " notes."
        }
        ul.cards {
            li { a href=(l.page("archive")) { "Archive" } " — by category, outlet, author and year" }
            li { a href=(l.page("entities")) { "Entities" } " — people, organisations, places" }
            li { a href=(l.page("timeline")) { "Timeline" } " — events with their evidence" }
            li { a href=(l.page("map")) { "Map" } " — places and events" }
            li { a href=(l.page("sources")) { "Sources" } " — the notes audit and references" }
        }
        h2 { "Latest documents" }
        (doc_list(s, l, latest(s, 20)))
    };
    layout(l, "Archive", "", body)
}

fn latest(s: &Snapshot, n: usize) -> Vec<&Document> {
    let mut v: Vec<&Document> = s.docs.iter().collect();
    v.sort_by(|a, b| b.date.cmp(&a.date));
    v.truncate(n);
    v
}

fn doc_list(_s: &Snapshot, l: &Links, docs: Vec<&Document>) -> Markup {
    html! {
        ul.docs {
            @for d in docs {
                li {
                    a href=(l.doc(&d.id)) { (doc_title(d)) }
                    span.meta {
                        @if let Some(o) = &d.outlet { " · " (o) }
                        @if !d.authors.is_empty() { " · " (d.authors.join(", ")) }
                        @if let Some(dt) = &d.date { " · " (dt) }
                    }
                }
            }
        }
    }
}

/// Documents grouped by one field.
pub fn archive_groups<'a>(s: &'a Snapshot, by: &str) -> BTreeMap<String, Vec<&'a Document>> {
    let mut g: BTreeMap<String, Vec<&Document>> = BTreeMap::new();
    for d in &s.docs {
        let keys: Vec<String> = match by {
            "outlet" => vec![d.outlet.clone().unwrap_or_else(|| "(no outlet)".into())],
            "author" => {
                if d.authors.is_empty() {
                    vec!["(no author)".into()]
                } else {
                    d.authors.clone()
                }
            }
            "year" => vec![year(d).map_or("(undated)".into(), |y| y.to_string())],
            _ => vec![d.category.clone().unwrap_or_else(|| "(no category)".into())],
        };
        for k in keys {
            g.entry(k).or_default().push(d);
        }
    }
    g
}

/// The archive page, grouped by category, outlet, author or year.
pub fn archive(s: &Snapshot, l: &Links, by: &str) -> Markup {
    let by = match by {
        "outlet" | "author" | "year" => by,
        _ => "category",
    };
    let groups = archive_groups(s, by);
    let mut keys: Vec<&String> = groups.keys().collect();
    if by == "year" {
        keys.reverse();
    }
    let body = html! {
        h1 { "Archive by " (by) }
        p.tabs {
            @for b in ["category", "outlet", "author", "year"] {
                @if b == by { strong { (b) } } @else {
                    a href=(if l.published { l.page(&format!("archive-{b}")) } else { l.query("archive", &[("by", b)]) }) { (b) }
                }
                " "
            }
        }
        @for k in keys {
            section.group {
                h2 { (k) " " span.count { "(" (groups[k].len()) ")" } }
                (doc_list(s, l, groups[k].clone()))
            }
        }
    };
    layout(l, &format!("Archive by {by}"), "", body)
}

/// One character-range insert into a part's text.
enum Insert<'a> {
    Marker(usize, &'a annals_model::notes::Marker),
    Mention(&'a annals_model::know::Mention),
}

fn csl_names(v: &[CslName]) -> String {
    v.iter()
        .map(|n| match (&n.literal, &n.family, &n.given) {
            (Some(l), _, _) => l.clone(),
            (_, Some(f), Some(g)) => format!("{f}, {g}"),
            (_, Some(f), None) => f.clone(),
            (_, None, Some(g)) => g.clone(),
            _ => String::new(),
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

fn csl_year(c: &CslItem) -> Option<String> {
    let d = c.issued.as_ref()?;
    d.date_parts
        .first()
        .and_then(|p| p.first())
        .map(|y| y.to_string())
        .or_else(|| d.raw.clone())
}

/// A one-line summary of a reference, for the marker's tooltip.
pub fn reference_line(n: &Note) -> String {
    match n.references.first() {
        Some(c) => {
            let mut parts = Vec::new();
            let a = csl_names(&c.author);
            if !a.is_empty() {
                parts.push(a);
            }
            if let Some(t) = &c.title {
                parts.push(format!("“{t}”"));
            }
            if let Some(t) = &c.container_title {
                parts.push(t.clone());
            }
            if let Some(y) = csl_year(c) {
                parts.push(y);
            }
            if let Some(u) = &c.url {
                parts.push(u.clone());
            }
            if parts.is_empty() {
                clip(&n.raw, 300)
            } else {
                parts.join(", ")
            }
        }
        None => clip(&n.raw, 300),
    }
}

fn clip(s: &str, n: usize) -> String {
    let t: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() > n {
        let mut c: String = t.chars().take(n).collect();
        c.push('…');
        c
    } else {
        t
    }
}

fn part_text(
    s: &Snapshot,
    l: &Links,
    d: &Document,
    pi: usize,
    notes: &HashMap<u32, &Note>,
    marker_ids: &HashMap<usize, usize>,
) -> Markup {
    let p = &d.parts[pi];
    let mut inserts: Vec<(usize, usize, Insert)> = Vec::new();
    let in_part = |start: usize| p.span.start <= start && start < p.span.end;
    if let Some(ms) = s.markers.get(&d.id) {
        for (mi, m) in ms.iter().enumerate() {
            if in_part(m.span.start) {
                let a = text_offset(p, m.span.start);
                let b = text_offset(p, m.span.end).max(a);
                inserts.push((
                    a,
                    b,
                    Insert::Marker(marker_ids.get(&mi).copied().unwrap_or(mi), m),
                ));
            }
        }
    }
    if let Some(ms) = s.mentions.get(&d.id) {
        for m in ms {
            if in_part(m.span.start) {
                let a = text_offset(p, m.span.start);
                let b = text_offset(p, m.span.end).max(a);
                inserts.push((a, b, Insert::Mention(m)));
            }
        }
    }
    inserts.sort_by_key(|(a, b, _)| (*a, std::cmp::Reverse(*b)));
    let chars: Vec<char> = p.text.chars().collect();
    let mut at = 0;
    let mut pieces: Vec<Markup> = Vec::new();
    for (a, b, ins) in &inserts {
        let (a, b) = ((*a).min(chars.len()), (*b).min(chars.len()));
        if a < at || b <= a {
            continue; // overlaps an earlier insert
        }
        let before: String = chars[at..a].iter().collect();
        let inner: String = chars[a..b].iter().collect();
        pieces.push(html! { (before) });
        match ins {
            Insert::Marker(id, m) => {
                let note = m.note.and_then(|n| notes.get(&n));
                let tip = note
                    .map(|n| reference_line(n))
                    .unwrap_or_else(|| "(no note found for this marker)".into());
                let href = m
                    .note
                    .map(|n| format!("#note-{n}"))
                    .unwrap_or_else(|| "#notes".into());
                pieces.push(html! {
                    a.mk href=(href) id=(format!("mk-{id}")) aria-describedby=(format!("tip-{id}")) {
                        sup { (inner) }
                        span.tip role="tooltip" id=(format!("tip-{id}")) { (tip) }
                    }
                });
            }
            Insert::Mention(m) => {
                pieces.push(html! {
                    a.ent class=(format!("t-{}", m.kind.as_str())) href=(l.entity(&m.entity)) title=(s.entity_name(&m.entity)) { (inner) }
                });
            }
        }
        at = b;
    }
    let rest: String = chars[at.min(chars.len())..].iter().collect();
    pieces.push(html! { (rest) });
    html! { @for x in pieces { (x) } }
}

/// A document page: parts as written with live note markers and entity
/// links, then notes with parsed references, events and diagnostics.
pub fn document(s: &Snapshot, l: &Links, d: &Document) -> Markup {
    let notes_list: Vec<&Note> = s
        .notes
        .get(&d.id)
        .map(|v| v.iter().collect())
        .unwrap_or_default();
    let notes: HashMap<u32, &Note> = notes_list.iter().map(|n| (n.number, *n)).collect();
    let has_notes = !notes_list.is_empty();
    let marker_ids: HashMap<usize, usize> = HashMap::new();
    let markers = s.markers.get(&d.id).map(Vec::as_slice).unwrap_or(&[]);
    let events = s.events_in(&d.id);
    let diags = s.diagnostics.get(&d.id).map(Vec::as_slice).unwrap_or(&[]);
    let body = html! {
        article.doc {
            header.dochead {
                h1 { (doc_title(d)) }
                @if let Some(sf) = d.standfirst.as_ref().filter(|_| !d.parts.iter().any(|p| p.kind == PartKind::Standfirst)) { p.standfirst { (sf) } }
                dl.meta {
                    @if let Some(o) = &d.outlet { dt { "Outlet" } dd { (o) } }
                    @if !d.authors.is_empty() { dt { "Authors" } dd { (d.authors.join(", ")) } }
                    @if let Some(x) = &d.date { dt { "Date" } dd { (x) @if let Some(e) = &d.date_evidence { " " span.ev { "(from “" (clip(&e.text, 80)) "”, line " (e.span.line) ")" } } } }
                    @if let Some(c) = &d.category { dt { "Category" } dd { (c) } }
                    @if let Some(u) = &d.url { dt { "URL" } dd { @if let Some(h) = safe_href(u) { a href=(h) rel="noopener noreferrer nofollow" { (u) } } @else { (u) } } }
                    dt { "Source" } dd { (d.source) ", lines " (d.lines[0]) "–" (d.lines[1]) }
                    dt { "Found" } dd { (markers.len()) " note markers, " (notes_list.len()) " notes, " (s.mentions.get(&d.id).map_or(0, Vec::len)) " entity mentions, " (events.len()) " events" }
                }
            }
            @for (i, p) in d.parts.iter().enumerate() {
                @if p.kind == PartKind::Title && Some(p.text.trim()) == d.title.as_deref().map(str::trim) {
                } @else if has_notes && matches!(p.kind, PartKind::Notes | PartKind::NotesHeading | PartKind::LinkReferences) {
                } @else {
                    @let cls = format!("part k-{}", p.kind.as_str());
                    @let id = format!("p{i}");
                    @match p.kind {
                        PartKind::SectionHeading => h2 class=(cls) id=(id) data-line=(p.lines[0]) { (part_text(s, l, d, i, &notes, &marker_ids)) },
                        PartKind::Title => h2 class=(cls) id=(id) data-line=(p.lines[0]) { (part_text(s, l, d, i, &notes, &marker_ids)) },
                        PartKind::PullQuote => blockquote class=(cls) id=(id) data-line=(p.lines[0]) { (part_text(s, l, d, i, &notes, &marker_ids)) },
                        _ => p class=(cls) id=(id) data-line=(p.lines[0]) title=(format!("{} · line {}", p.kind.as_str(), p.lines[0])) { (part_text(s, l, d, i, &notes, &marker_ids)) },
                    }
                }
            }
            @if has_notes {
                section.notes id="notes" {
                    h2 { "Notes" }
                    ol.notes {
                        @for n in &notes_list {
                            li id=(format!("note-{}", n.number)) value=(n.number) {
                                @let num = n.number.to_string();
                                p.raw {
                                    @if !n.raw.trim_start().starts_with(num.as_str()) { strong.num { (num) ". " } }
                                    (n.raw)
                                }
                                @if let Some(r) = n.refers_to { p.repeat { "Repeats " a href=(format!("#note-{r}")) { "note " (r) } } }
                                @for c in &n.references { (csl_block(c)) }
                                @let back: Vec<usize> = markers.iter().enumerate().filter(|(_, m)| m.note == Some(n.number)).map(|(i, _)| i).collect();
                                @if !back.is_empty() {
                                    p.back { "Cited at " @for b in back { a href=(format!("#mk-{b}")) { "↩" } " " } }
                                }
                            }
                        }
                    }
                }
            }
            @if !events.is_empty() {
                section.events {
                    h2 { "Events" }
                    (event_table(s, l, &events, Some(d)))
                }
            }
            @if !diags.is_empty() {
                section.diags {
                    h2 { "Diagnostics" }
                    ul {
                        @for g in diags {
                            li class=(format!("sev-{:?}", g.severity).to_lowercase()) {
                                code { (g.code) } " "
                                @if let Some(line) = g.line { "line " (line) ": " }
                                (g.message)
                            }
                        }
                    }
                }
            }
        }
    };
    layout(l, doc_title(d), "", body)
}

fn csl_block(c: &CslItem) -> Markup {
    html! {
        dl.csl {
            dt { "type" } dd { (c.kind) }
            @let a = csl_names(&c.author);
            @if !a.is_empty() { dt { "author" } dd { (a) } }
            @if let Some(t) = &c.title { dt { "title" } dd { (t) } }
            @if let Some(t) = &c.container_title { dt { "container" } dd { (t) } }
            @if let Some(t) = &c.publisher { dt { "publisher" } dd { (t) } }
            @if let Some(y) = csl_year(c) { dt { "issued" } dd { (y) } }
            @if let Some(p) = &c.page { dt { "page" } dd { (p) } }
            @if let Some(u) = &c.url { dt { "URL" } dd { @if let Some(h) = safe_href(u) { a href=(h) rel="noopener noreferrer nofollow" { (u) } } @else { (u) } } }
            @if let Some(u) = &c.doi { dt { "DOI" } dd { (u) } }
        }
    }
}

/// Where an event's evidence is: link to the part of its document.
pub fn evidence_href(s: &Snapshot, l: &Links, doc: &str, at: usize) -> String {
    match s.doc(doc).and_then(|d| s.part_at(d, at)) {
        Some((i, _)) => format!("{}#p{i}", l.doc(doc)),
        None => l.doc(doc),
    }
}

fn event_table(s: &Snapshot, l: &Links, events: &[&Event], only_doc: Option<&Document>) -> Markup {
    html! {
        table.events {
            thead { tr { th { "Date" } th { "Type" } th { "Place" } th { "Who" } th { "Evidence" } } }
            tbody {
                @for e in events {
                    tr id=(format!("ev-{}", e.id)) class=(if e.conflicts_with.is_empty() { "" } else { "conflict" }) {
                        td { (e.date.as_deref().unwrap_or("?")) @if let Some(t) = &e.date_text { br; small { (t) } } }
                        td { (e.kind.as_str()) @if !e.conflicts_with.is_empty() { br; strong.conflict-mark title="Sources disagree about this event" { "conflicting claims" } } }
                        td { @if let Some(pe) = &e.place_entity { a href=(l.entity(pe)) { (e.place.as_deref().unwrap_or(s.entity_name(pe))) } } @else { (e.place.as_deref().unwrap_or("")) } }
                        td { (e.actors.join(", ")) @if !e.targets.is_empty() { " → " (e.targets.join(", ")) } }
                        td {
                            @for ev in e.evidence.iter().filter(|ev| only_doc.is_none_or(|d| d.id == ev.doc)).take(3) {
                                p.evq { a href=(evidence_href(s, l, &ev.doc, ev.span.start)) { "“" (clip(&ev.text, 200)) "”" } @if only_doc.is_none() { " " small { (s.doc(&ev.doc).map(doc_title).unwrap_or(&ev.doc)) } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The list of entities by type.
pub fn entities(s: &Snapshot, l: &Links) -> Markup {
    let mut by_kind: BTreeMap<&str, Vec<(&annals_model::know::Entity, u64)>> = BTreeMap::new();
    for (e, n) in s.entities.values() {
        by_kind.entry(e.kind.as_str()).or_default().push((e, *n));
    }
    let body = html! {
        h1 { "Entities" }
        @if by_kind.is_empty() { p { "No entities are stored yet." } }
        @for (k, v) in by_kind.into_iter().map(|(k, mut v)| { v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.name.cmp(&b.0.name))); (k, v) }) {
            section.group {
                h2 { (k) " " span.count { "(" (v.len()) ")" } }
                ul.entities {
                    @for (e, n) in v {
                        li { a href=(l.entity(&e.id)) { (e.name) } " " span.count { (n) } }
                    }
                }
            }
        }
    };
    layout(l, "Entities", "", body)
}

/// One entity: aliases, place, mentions in context, co-occurring entities, events.
pub fn entity(s: &Snapshot, l: &Links, id: &str) -> Option<Markup> {
    let (e, count) = s.entities.get(id)?;
    let mentions = s.mentions_of.get(id).cloned().unwrap_or_default();
    let mut co: HashMap<&str, u64> = HashMap::new();
    let mut docs: Vec<&str> = mentions.iter().map(|(d, _)| d.as_str()).collect();
    docs.sort();
    docs.dedup();
    for d in &docs {
        if let Some(ms) = s.mentions.get(*d) {
            let mut seen: Vec<&str> = ms
                .iter()
                .map(|m| m.entity.as_str())
                .filter(|x| *x != id)
                .collect();
            seen.sort();
            seen.dedup();
            for x in seen {
                *co.entry(x).or_default() += 1;
            }
        }
    }
    let mut co: Vec<(&str, u64)> = co.into_iter().collect();
    co.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    co.truncate(30);
    let events = s.events_of(e);
    let body = html! {
        h1 { (e.name) }
        dl.meta {
            dt { "Type" } dd { (e.kind.as_str()) }
            @if !e.aliases.is_empty() { dt { "Also written" } dd { (e.aliases.join(" · ")) } }
            @if let (Some(la), Some(lo)) = (e.lat, e.lon) { dt { "Coordinates" } dd { (format!("{la:.3}, {lo:.3}")) } }
            @if let Some(c) = &e.country { dt { "Country" } dd { (c) } }
            dt { "Mentions" } dd { (count) " in " (docs.len()) " documents" }
            dt { "Known from" } dd { (e.origin) }
        }
        @if let (Some(la), Some(lo)) = (e.lat, e.lon) {
            figure.minimap { (svg::mini_map(la, lo, &e.name)) }
        }
        @if !events.is_empty() {
            h2 { "Events" }
            figure.timeline { (svg::timeline(s, l, &events, 600)) }
            (event_table(s, l, &events, None))
        }
        @if !co.is_empty() {
            h2 { "Appears with" }
            ul.co { @for (x, n) in co { li { a href=(l.entity(x)) { (s.entity_name(x)) } " " span.count { (n) } } } }
        }
        h2 { "Mentions in context" }
        ul.kwic {
            @for (doc, mi) in mentions.iter().take(300) {
                @if let (Some(d), Some(m)) = (s.doc(doc), s.mentions.get(doc).and_then(|v| v.get(*mi))) {
                    @if let Some((pi, p)) = s.part_at(d, m.span.start) {
                        @let a = text_offset(p, m.span.start);
                        @let (b, t, af) = context(&p.text, a, a + m.text.chars().count(), 90);
                        li { span.ctx { (b) mark { (t) } (af) } " " a href=(format!("{}#p{pi}", l.doc(doc))) { (doc_title(d)) } }
                    }
                }
            }
        }
    };
    Some(layout(l, &e.name, "", body))
}

/// Filters of the timeline page.
#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize)]
pub struct TimelineFilter {
    /// Event type.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Entity id or name among actors, targets, place.
    #[serde(default)]
    pub entity: Option<String>,
    /// Place name (substring, any case).
    #[serde(default)]
    pub place: Option<String>,
    /// From year or date (inclusive, compared as ISO text).
    #[serde(default)]
    pub from: Option<String>,
    /// To year or date (inclusive).
    #[serde(default)]
    pub to: Option<String>,
}

/// Events that pass the filter, by date.
pub fn filter_events<'a>(s: &'a Snapshot, f: &TimelineFilter) -> Vec<&'a Event> {
    let some = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(str::to_string)
    };
    let (kind, ent, place, from, to) = (
        some(&f.kind),
        some(&f.entity),
        some(&f.place),
        some(&f.from),
        some(&f.to),
    );
    let ent_events: Option<Vec<&Event>> = ent.as_ref().map(|id| match s.entity(id) {
        Some(e) => s.events_of(e),
        None => s
            .events
            .iter()
            .filter(|ev| {
                ev.actors
                    .iter()
                    .chain(&ev.targets)
                    .any(|a| a.eq_ignore_ascii_case(id))
            })
            .collect(),
    });
    let mut v: Vec<&Event> = s
        .events
        .iter()
        .filter(|e| kind.as_deref().is_none_or(|k| e.kind.as_str() == k))
        .filter(|e| {
            place.as_deref().is_none_or(|p| {
                e.place
                    .as_deref()
                    .is_some_and(|x| x.to_lowercase().contains(&p.to_lowercase()))
            })
        })
        .filter(|e| {
            from.as_deref()
                .is_none_or(|fr| e.date.as_deref().is_some_and(|d| d >= fr))
        })
        .filter(|e| {
            to.as_deref().is_none_or(|t| {
                e.date
                    .as_deref()
                    .is_some_and(|d| d[..t.len().min(d.len())] <= *t)
            })
        })
        .filter(|e| {
            ent_events
                .as_ref()
                .is_none_or(|ev| ev.iter().any(|x| x.id == e.id))
        })
        .collect();
    v.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    v
}

/// The timeline page.
pub fn timeline(s: &Snapshot, l: &Links, f: &TimelineFilter) -> Markup {
    let events = filter_events(s, f);
    let conflicts = events
        .iter()
        .filter(|e| !e.conflicts_with.is_empty())
        .count();
    let val = |o: &Option<String>| o.clone().unwrap_or_default();
    let body = html! {
        h1 { "Timeline" }
        @if !l.published {
            form.filters method="get" action=(l.page("timeline")) {
                label { "Type " select name="type" {
                    option value="" { "any" }
                    @for t in annals_model::event::EventType::ALL { option value=(t.as_str()) selected[f.kind.as_deref() == Some(t.as_str())] { (t.as_str()) } }
                } }
                label { "Entity " input name="entity" value=(val(&f.entity)) size="14"; }
                label { "Place " input name="place" value=(val(&f.place)) size="12"; }
                label { "From " input name="from" value=(val(&f.from)) size="10" placeholder="2014"; }
                label { "To " input name="to" value=(val(&f.to)) size="10" placeholder="2020-06"; }
                button type="submit" { "Filter" }
            }
        }
        p { (events.len()) " events" @if conflicts > 0 { ", " strong.conflict-mark { (conflicts) " with conflicting claims" } " (ringed in red)" } "." }
        figure.timeline { (svg::timeline(s, l, &events, 1000)) }
        (event_table(s, l, &events, None))
    };
    layout(l, "Timeline", "", body)
}

/// The map page.
pub fn map(s: &Snapshot, l: &Links) -> Markup {
    let places: Vec<_> = s
        .entities
        .values()
        .filter(|(e, _)| e.lat.is_some() && e.lon.is_some())
        .collect();
    let body = html! {
        h1 { "Map" }
        p { (places.len()) " places with coordinates; circles grow with mentions, diamonds mark places of events." }
        figure.map { (svg::world_map(s, l)) }
        p.attrib { "Country outlines: Natural Earth (public domain), via the world-atlas package." }
        ul.places {
            @for (e, n) in places { li { a href=(l.entity(&e.id)) { (e.name) } " " span.count { (n) } } }
        }
    };
    layout(l, "Map", "", body)
}

/// Domain of a URL, for grouping references.
pub fn domain(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?.to_lowercase();
    Some(host.trim_start_matches("www.").to_string()).filter(|h| !h.is_empty())
}

/// Counts for the sources page (also the `/api/sources` answer).
#[derive(Debug, Default, serde::Serialize)]
pub struct SourcesReport {
    /// Per document: id, title, markers, notes, markers pointing nowhere,
    /// notes never cited, notes without a parsed reference.
    pub documents: Vec<DocAudit>,
    /// References by container (journal, outlet, site).
    pub by_container: Vec<(String, u64)>,
    /// References by web domain.
    pub by_domain: Vec<(String, u64)>,
    /// Diagnostics by code, archive-wide.
    pub diagnostics_by_code: Vec<(String, u64)>,
    /// References with a URL, and how many of them may be links.
    pub urls: u64,
    /// URLs that are not http, https or mailto (shown, never linked).
    pub unsafe_urls: u64,
}

/// The notes audit of one document.
#[derive(Debug, Default, serde::Serialize)]
pub struct DocAudit {
    /// Document id.
    pub doc: String,
    /// Title.
    pub title: String,
    /// Markers found.
    pub markers: usize,
    /// Notes found.
    pub notes: usize,
    /// Markers whose note is missing.
    pub dangling_markers: usize,
    /// Notes no marker cites.
    pub uncited_notes: usize,
    /// Notes whose reference could not be parsed.
    pub unparsed_notes: usize,
}

/// Builds the sources report.
pub fn sources_report(s: &Snapshot) -> SourcesReport {
    let mut r = SourcesReport::default();
    let mut cont: HashMap<String, u64> = HashMap::new();
    let mut dom: HashMap<String, u64> = HashMap::new();
    for d in &s.docs {
        let ms = s.markers.get(&d.id).map(Vec::as_slice).unwrap_or(&[]);
        let ns = s.notes.get(&d.id).map(Vec::as_slice).unwrap_or(&[]);
        if ms.is_empty() && ns.is_empty() {
            continue;
        }
        let numbers: Vec<u32> = ns.iter().map(|n| n.number).collect();
        let cited: Vec<u32> = ms.iter().filter_map(|m| m.note).collect();
        r.documents.push(DocAudit {
            doc: d.id.clone(),
            title: doc_title(d).to_string(),
            markers: ms.len(),
            notes: ns.len(),
            dangling_markers: ms
                .iter()
                .filter(|m| m.note.is_none_or(|n| !numbers.contains(&n)))
                .count(),
            uncited_notes: ns
                .iter()
                .filter(|n| !cited.contains(&n.number) && n.refers_to.is_none())
                .count(),
            unparsed_notes: ns.iter().filter(|n| n.references.is_empty()).count(),
        });
        for n in ns {
            for c in &n.references {
                if let Some(t) = &c.container_title {
                    *cont.entry(t.clone()).or_default() += 1;
                }
                if let Some(u) = &c.url {
                    r.urls += 1;
                    if safe_href(u).is_none() {
                        r.unsafe_urls += 1;
                    }
                    if let Some(h) = domain(u) {
                        *dom.entry(h).or_default() += 1;
                    }
                }
            }
        }
    }
    let mut codes: HashMap<String, u64> = HashMap::new();
    for v in s.diagnostics.values() {
        for g in v {
            *codes.entry(g.code.clone()).or_default() += 1;
        }
    }
    let sorted = |m: HashMap<String, u64>| {
        let mut v: Vec<(String, u64)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    r.by_container = sorted(cont);
    r.by_domain = sorted(dom);
    r.diagnostics_by_code = sorted(codes);
    r
}

/// The sources page: the notes audit and where references point.
pub fn sources(s: &Snapshot, l: &Links) -> Markup {
    let r = sources_report(s);
    let body = html! {
        h1 { "Sources" }
        h2 { "Notes audit" }
        @if r.documents.is_empty() { p { "No notes or markers are stored yet." } } @else {
            table.audit {
                thead { tr { th { "Document" } th { "Markers" } th { "Notes" } th { "Markers without note" } th { "Notes never cited" } th { "Notes not parsed" } } }
                tbody {
                    @for a in &r.documents {
                        tr {
                            td { a href=(l.doc(&a.doc)) { (a.title) } }
                            td { (a.markers) } td { (a.notes) }
                            td class=(if a.dangling_markers > 0 { "warn" } else { "" }) { (a.dangling_markers) }
                            td class=(if a.uncited_notes > 0 { "warn" } else { "" }) { (a.uncited_notes) }
                            td class=(if a.unparsed_notes > 0 { "warn" } else { "" }) { (a.unparsed_notes) }
                        }
                    }
                }
            }
        }
        h2 { "References by outlet" }
        (count_list(&r.by_container, 60))
        h2 { "References by web domain" }
        p { (r.urls) " references carry a URL; " (r.unsafe_urls) " of them use a scheme that is shown as text only." }
        (count_list(&r.by_domain, 60))
        h2 { "Diagnostics by code" }
        (count_list(&r.diagnostics_by_code, 100))
    };
    layout(l, "Sources", "", body)
}

fn count_list(v: &[(String, u64)], n: usize) -> Markup {
    html! {
        @if v.is_empty() { p { "None." } } @else {
            ol.counts { @for (k, c) in v.iter().take(n) { li { (k) " " span.count { (c) } } } }
        }
    }
}

/// The search page (server side): results grouped by document, facets to narrow.
pub fn search(
    s: &Snapshot,
    l: &Links,
    req: &SearchRequest,
    res: Option<&SearchResults>,
    error: Option<&str>,
) -> Markup {
    let f = &req.filters;
    let facet_link = |field: &str, value: &str| -> String {
        let mut pairs: Vec<(&str, String)> = vec![("q", req.q.clone())];
        let cur = [
            ("kind", f.kind.clone()),
            ("outlet", f.outlet.clone()),
            ("category", f.category.clone()),
            ("entity", f.entity.clone()),
            ("event_type", f.event_type.clone()),
            (
                "year",
                f.year_from
                    .filter(|y| Some(*y) == f.year_to)
                    .map(|y| y.to_string()),
            ),
        ];
        for (k, v) in cur {
            if k != field {
                if let Some(v) = v {
                    pairs.push((k, v));
                }
            }
        }
        pairs.push((field, value.to_string()));
        let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        l.query("search", &refs)
    };
    let facet_label = |field: &str, v: &str| -> String {
        if field == "entity" {
            s.entity_name(v).to_string()
        } else {
            v.to_string()
        }
    };
    let body = html! {
        h1 { "Search" }
        form.bigsearch method="get" action=(l.page("search")) {
            input type="search" name="q" value=(req.q) aria-label="Query" autofocus;
            button type="submit" { "Search" }
        }
        p.help { "Words must all appear; use \"quoted phrases\", OR, -exclude, and fields such as outlet:\"…\", kind:notes, year:2014." }
        @if let Some(e) = error { p.error { (e) } }
        @let active: Vec<(&str, String)> = [("kind", f.kind.clone()), ("outlet", f.outlet.clone()), ("category", f.category.clone()), ("entity", f.entity.clone()), ("event_type", f.event_type.clone()), ("year", f.year_from.map(|y| y.to_string()))].into_iter().filter_map(|(k, v)| v.map(|v| (k, v))).collect();
        @if !active.is_empty() {
            p.active { "Filtered by: " @for (k, v) in &active { span.chip { (k) ": " (facet_label(k, v)) } " " } a href=(l.query("search", &[("q", &req.q)])) { "clear filters" } }
        }
        @if let Some(r) = res {
            div.results {
                div.facets {
                    @for (name, vals) in [("kind", &r.facets.kind), ("outlet", &r.facets.outlet), ("category", &r.facets.category), ("year", &r.facets.year), ("entity", &r.facets.entity), ("event_type", &r.facets.event_type)] {
                        @if !vals.is_empty() {
                            section { h3 { (name) } ul { @for (v, n) in vals.iter().take(12) { li { a href=(facet_link(name, v)) { (facet_label(name, v)) } " " span.count { (n) } } } } }
                        }
                    }
                }
                div.hits {
                    p.summary { (r.total_parts) " matching passages in " (r.total_docs) " documents." }
                    @for w in &r.warnings { p.warn { "Ignored part of the query: " (w) } }
                    @for g in &r.groups {
                        section.group {
                            h2 { a href=(l.doc(&g.doc)) { (if g.title.is_empty() { "(untitled)" } else { &g.title }) } }
                            p.meta { @if let Some(o) = &g.outlet { (o) } @if let Some(y) = g.year { " · " (y) } " · " (g.matched_parts) " passages" }
                            @for h in &g.hits {
                                p.hit {
                                    a href=(format!("{}#p{}", l.doc(&g.doc), h.part)) { span.kind { (h.kind) " · line " (h.line) } }
                                    " "
                                    @for seg in &h.snippet { @if seg.hit { mark { (seg.text) } } @else { (seg.text) } }
                                }
                            }
                        }
                    }
                    @if r.total_docs > req.offset + req.limit {
                        p.more { a href=(facet_link("offset", &(req.offset + req.limit).to_string())) { "More results" } }
                    }
                }
            }
        }
    };
    layout(l, "Search", &req.q, body)
}

/// A page for a missing thing.
pub fn not_found(l: &Links, what: &str) -> Markup {
    layout(
        l,
        "Not found",
        "",
        html! { h1 { "Not found" } p { (what) } p { a href=(l.page("")) { "Back to the archive" } } },
    )
}

/// Raw markup from this crate's own code (never archive text).
pub fn trusted(s: String) -> PreEscaped<String> {
    PreEscaped(s)
}
