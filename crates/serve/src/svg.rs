//! SVG drawn on the server: the timeline and the maps. Plain SVG elements with
//! classes (the stylesheet colours them), links to evidence, `<title>` for
//! hover text; no script and no inline style, so the CSP holds.
use crate::data::Snapshot;
use crate::links::Links;
use crate::pages::evidence_href;
use annals_model::event::Event;
use maud::{html, Markup};

/// A date (`2014`, `2014-04`, `2014-04-02`) as a fractional year.
pub fn year_frac(date: &str) -> Option<f64> {
    let mut it = date.split('-');
    let y: f64 = it.next()?.get(..4)?.parse().ok()?;
    let m: f64 = it
        .next()
        .and_then(|m| m.get(..2)?.parse().ok())
        .unwrap_or(6.5);
    let d: f64 = it
        .next()
        .and_then(|d| d.get(..2)?.parse().ok())
        .unwrap_or(15.0);
    Some(y + ((m - 1.0) + (d - 1.0) / 31.0) / 12.0)
}

/// Events on a time axis, one lane per event type; each mark links to its
/// evidence, conflicting claims are ringed.
pub fn timeline(s: &Snapshot, l: &Links, events: &[&Event], width: u32) -> Markup {
    let dated: Vec<(&Event, f64)> = events
        .iter()
        .filter_map(|e| Some((*e, year_frac(e.date.as_deref()?)?)))
        .collect();
    let mut lanes: Vec<&str> = dated.iter().map(|(e, _)| e.kind.as_str()).collect();
    lanes.sort();
    lanes.dedup();
    let (left, right, top, lane_h) = (150.0, 20.0, 30.0, 26.0);
    let w = width as f64;
    let h = top + lane_h * lanes.len().max(1) as f64 + 30.0;
    let (mut lo, mut hi) = dated.iter().fold((f64::MAX, f64::MIN), |(a, b), (_, y)| {
        (a.min(*y), b.max(*y))
    });
    if dated.is_empty() {
        (lo, hi) = (2000.0, 2020.0);
    }
    lo = lo.floor();
    hi = hi.ceil().max(lo + 1.0);
    let x = |y: f64| left + (y - lo) / (hi - lo) * (w - left - right);
    let span = (hi - lo) as i64;
    let step = [1i64, 2, 5, 10, 20, 50, 100]
        .into_iter()
        .find(|s| span / s <= 12)
        .unwrap_or(200);
    let ticks: Vec<i64> = (lo as i64..=hi as i64).filter(|y| y % step == 0).collect();
    html! {
        svg.timeline xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {w} {h}")) role="img" aria-label=(format!("Timeline of {} dated events", dated.len())) {
            title { "Timeline of " (dated.len()) " dated events" }
            @for (i, lane) in lanes.iter().enumerate() {
                @let y = top + lane_h * i as f64 + lane_h / 2.0;
                line.lane x1=(left) x2=(w - right) y1=(y) y2=(y) {}
                text.lanelabel x=(left - 8.0) y=(y + 4.0) text-anchor="end" { (lane) }
            }
            @for t in &ticks {
                @let tx = x(*t as f64);
                line.tick x1=(tx) x2=(tx) y1=(top - 8.0) y2=(h - 24.0) {}
                text.ticklabel x=(tx) y=(h - 8.0) text-anchor="middle" { (t) }
            }
            @for (e, yf) in &dated {
                @let lane = lanes.iter().position(|x| *x == e.kind.as_str()).unwrap_or(0);
                @let cy = top + lane_h * lane as f64 + lane_h / 2.0;
                @let href = e.evidence.first().map(|ev| evidence_href(s, l, &ev.doc, ev.span.start)).unwrap_or_default();
                @let conflict = !e.conflicts_with.is_empty();
                a.ev href=(href) {
                    title { (e.date.as_deref().unwrap_or("")) " · " (e.kind.as_str()) @if let Some(p) = &e.place { " · " (p) } @if conflict { " · conflicting claims" } @if let Some(ev) = e.evidence.first() { " — " (ev.text.chars().take(160).collect::<String>()) } }
                    circle class=(if conflict { "dot conflict" } else { "dot" }) cx=(format!("{:.1}", x(*yf))) cy=(cy) r="6" {}
                }
            }
        }
    }
}

/// Equirectangular projection into a `w`×`h` box.
fn project(lon: f64, lat: f64, w: f64, h: f64) -> (f64, f64) {
    ((lon + 180.0) / 360.0 * w, (90.0 - lat) / 180.0 * h)
}

fn graticule(w: f64, h: f64) -> Markup {
    html! {
        g.graticule {
            @for lon in (-180..=180).step_by(30) { @let (x, _) = project(lon as f64, 0.0, w, h); line x1=(x) x2=(x) y1="0" y2=(h) {} }
            @for lat in (-90..=90).step_by(30) { @let (_, y) = project(0.0, lat as f64, w, h); line x1="0" x2=(w) y1=(y) y2=(y) {} }
        }
    }
}

/// The world map: country outlines (Natural Earth via world-atlas, when the
/// asset is built in), places sized by mentions, places of events.
pub fn world_map(s: &Snapshot, l: &Links) -> Markup {
    let (w, h) = (960.0, 480.0);
    let places: Vec<_> = s
        .entities
        .values()
        .filter_map(|(e, n)| Some((e, *n, e.lat?, e.lon?)))
        .collect();
    let event_places: Vec<(&str, f64, f64, usize)> = {
        let mut m: std::collections::BTreeMap<&str, (f64, f64, usize)> = Default::default();
        for ev in &s.events {
            if let Some(pe) = ev.place_entity.as_deref() {
                if let Some(e) = s.entity(pe) {
                    if let (Some(la), Some(lo)) = (e.lat, e.lon) {
                        m.entry(pe).or_insert((la, lo, 0)).2 += 1;
                    }
                }
            }
        }
        m.into_iter().map(|(k, (a, b, c))| (k, a, b, c)).collect()
    };
    html! {
        svg.worldmap xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {w} {h}")) role="img" aria-label="Map of places" {
            title { "Places in the archive" }
            rect.sea x="0" y="0" width=(w) height=(h) {}
            (crate::world::outlines(w, h))
            (graticule(w, h))
            @for (e, n, la, lo) in &places {
                @let (x, y) = project(*lo, *la, w, h);
                a.place href=(l.entity(&e.id)) {
                    title { (e.name) " — " (n) " mentions" }
                    circle.place cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{:.1}", 2.5 + (*n as f64).sqrt().min(12.0))) {}
                }
            }
            @for (id, la, lo, c) in &event_places {
                @let (x, y) = project(*lo, *la, w, h);
                a.evplace href=(if l.published { l.entity(id) } else { l.query("timeline", &[("entity", id)]) }) {
                    title { (s.entity_name(id)) " — " (c) " events" }
                    path.evmark d=(format!("M{x:.1},{:.1} l5,6 l-5,6 l-5,-6 z", y - 6.0)) {}
                }
            }
        }
    }
}

/// A small map centred on one place.
pub fn mini_map(lat: f64, lon: f64, name: &str) -> Markup {
    let (w, h) = (360.0, 180.0);
    let (x, y) = project(lon, lat, w, h);
    html! {
        svg.minimap xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {w} {h}")) width=(w) height=(h) role="img" aria-label=(format!("Where {name} is")) {
            title { (name) }
            rect.sea x="0" y="0" width=(w) height=(h) {}
            (crate::world::outlines(w, h))
            (graticule(w, h))
            circle.place cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="5" {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_become_fractional_years() {
        assert_eq!(year_frac("2014").map(|y| y.floor()), Some(2014.0));
        let a = year_frac("2014-01-01").unwrap();
        let b = year_frac("2014-12-31").unwrap();
        assert!(a < b && b < 2015.0);
        assert_eq!(year_frac("201X"), None);
        assert_eq!(year_frac("PRESENT_REF"), None);
    }
}
