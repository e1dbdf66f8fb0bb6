//! The seed archive's gold events: every event whose date is written on its
//! line (date_text set, not relative) must be tagged with the gold value.

use annals_time::tag;
use std::path::Path;

#[test]
fn seed_event_dates_are_found_with_gold_values() {
    let shared = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    let events = shared.join("eval/seed-dev/events.jsonl");
    if !events.exists() {
        eprintln!("skipping: ../shared not found");
        return;
    }
    let data = std::fs::read_to_string(&events).expect("read events.jsonl");
    let (mut total, mut found) = (0, 0);
    let mut misses = Vec::new();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let ev: serde_json::Value = serde_json::from_str(line).expect("event json");
        let (Some(date_text), Some(date)) = (ev["date_text"].as_str(), ev["date"].as_str()) else {
            continue;
        };
        if ev["relative"].as_bool() != Some(false) {
            continue;
        }
        let evidence = ev["evidence"].as_str().unwrap_or_default();
        total += 1;
        let Some(at) = evidence.find(date_text) else {
            misses.push(format!("date_text not in evidence: {date_text}"));
            continue;
        };
        let s = evidence[..at].chars().count();
        let e = s + date_text.chars().count();
        let tags = tag(evidence, None);
        if tags
            .iter()
            .any(|t| t.start < e && s < t.end && t.value == date)
        {
            found += 1;
        } else {
            misses.push(format!(
                "{date_text} → {date}: got {:?}",
                tags.iter().map(|t| (&t.text, &t.value)).collect::<Vec<_>>()
            ));
        }
    }
    eprintln!("seed event dates: {found}/{total}");
    for m in &misses {
        eprintln!("  miss: {m}");
    }
    assert!(
        total >= 20,
        "expected the seed's non-relative dated events, found {total}"
    );
    assert!(
        found * 10 >= total * 9,
        "only {found}/{total} seed dates found with the gold value"
    );
}
