//! Events in formats other tools read: GeoJSON for maps, TimelineJS3 JSON for time lines.
use annals_model::event::Event;
use serde_json::{json, Value};
use std::collections::HashMap;

fn evidence_json(e: &Event) -> Value {
    e.evidence
        .iter()
        .map(|ev| json!({"doc": ev.doc, "line": ev.span.line, "start": ev.span.start, "end": ev.span.end, "text": ev.text}))
        .collect()
}

/// A GeoJSON FeatureCollection of the events whose place has coordinates in
/// `places` (looked up by place entity id first, then by the place as named;
/// values are `(lat, lon)`). Events without a located place are left out.
pub fn to_geojson(events: &[Event], places: &HashMap<String, (f64, f64)>) -> Value {
    let features: Vec<Value> = events
        .iter()
        .filter_map(|e| {
            let (lat, lon) = e
                .place_entity
                .as_ref()
                .and_then(|p| places.get(p))
                .or_else(|| e.place.as_ref().and_then(|p| places.get(p)))?;
            Some(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": e.id, "type": e.kind.as_str(), "date": e.date, "date_text": e.date_text,
                    "place": e.place, "actors": e.actors, "targets": e.targets,
                    "killed": e.killed.as_ref().and_then(|k| k.value),
                    "injured": e.injured.as_ref().and_then(|k| k.value),
                    "claimed_by": e.claimed_by, "conflicts_with": e.conflicts_with,
                    "evidence": evidence_json(e),
                }
            }))
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

/// A TimelineJS3 document: one slide per event with a known year.
pub fn to_timelinejs(events: &[Event]) -> Value {
    let slides: Vec<Value> = events
        .iter()
        .filter_map(|e| {
            let d = e.date.as_deref()?;
            let mut parts = d.split('-');
            let year = parts.next()?;
            if year.len() != 4 || !year.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let mut start = serde_json::Map::new();
            start.insert("year".into(), json!(year));
            if let Some(m) = parts
                .next()
                .and_then(|m| m.parse::<u32>().ok())
                .filter(|m| (1..=12).contains(m))
            {
                start.insert("month".into(), json!(m.to_string()));
                if let Some(day) = parts.next().and_then(|x| x.parse::<u32>().ok()) {
                    start.insert("day".into(), json!(day.to_string()));
                }
            }
            let who = if e.actors.is_empty() {
                String::new()
            } else {
                format!("{}: ", e.actors.join(", "))
            };
            let headline = format!(
                "{who}{}{}",
                e.kind.as_str().replace('_', " "),
                e.place
                    .as_ref()
                    .map(|p| format!(" in {p}"))
                    .unwrap_or_default()
            );
            let text: Vec<String> = e
                .evidence
                .iter()
                .map(|ev| {
                    format!(
                        "<p>{} <small>({}, line {})</small></p>",
                        html_escape(&ev.text),
                        ev.doc,
                        ev.span.line
                    )
                })
                .collect();
            Some(json!({
                "unique_id": e.id,
                "start_date": Value::Object(start),
                "text": {"headline": headline, "text": text.join("")},
                "group": e.kind.as_str(),
            }))
        })
        .collect();
    json!({"events": slides})
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
