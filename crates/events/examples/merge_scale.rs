//! How merge time grows with the number of claims (prints the ratio for n and 2n).
//!
//! cargo run --release -p annals-events --example merge_scale
use annals_events::merge;
use annals_model::event::{Claim, Event, EventEvidence, EventType, Modality};
use annals_model::Span;
use std::time::Instant;

fn claims(n: usize) -> Vec<Event> {
    let kinds = [
        EventType::Attack,
        EventType::MeetingVisit,
        EventType::Statement,
        EventType::Agreement,
    ];
    (0..n)
        .map(|i| {
            let kind = kinds[i % kinds.len()];
            let date = format!("{}-{:02}", 1990 + (i / 7) % 30, 1 + i % 12);
            let span = Span::new(1 + (i / 3) as u32, i * 100, i * 100 + 60);
            let text = format!(
                "the minister {} met delegates in city{} about trade route {}",
                i % 50,
                i % 40,
                i % 13
            );
            Event {
                id: format!("ev:d{}:{}", i / 40, i),
                kind,
                date: Some(date.clone()),
                date_text: None,
                place: Some(format!("City{}", i % 40)),
                place_entity: None,
                actors: vec![format!("Minister {}", i % 50)],
                targets: vec![],
                killed: None,
                injured: None,
                claimed_by: None,
                modality: Modality::Asserted,
                evidence: vec![EventEvidence {
                    doc: format!("d{}", i / 40),
                    span,
                    text,
                    notes: vec![],
                }],
                conflicts_with: vec![],
                merge_reasons: vec![],
                claims: vec![Claim {
                    id: format!("c{i}"),
                    doc: format!("d{}", i / 40),
                    span,
                    kind,
                    date: Some(date),
                    date_text: None,
                }],
            }
        })
        .collect()
}

fn main() {
    let time = |n: usize| {
        let c = claims(n);
        let t = Instant::now();
        let out = merge(c);
        (t.elapsed().as_secs_f64(), out.len())
    };
    let (t1, e1) = time(2000);
    let (t2, e2) = time(4000);
    println!("2000 claims -> {e1} events in {t1:.3}s; 4000 -> {e2} in {t2:.3}s; ratio {:.2} (4.0 = quadratic)", t2 / t1);
}
