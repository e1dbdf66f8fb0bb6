//! Search latency, annals against SQLite FTS5 on the same paragraphs.
//!
//! `bench_search N_PARAGRAPHS WORK_DIR ROUNDS SAMPLES_TSV`
//!
//! Builds (or reuses, when WORK_DIR already holds them for N) an annals index
//! (`annals_index::build`, the product schema) and an FTS5 table (porter
//! stemming, like annals' `en_stem`) over N generated paragraphs, then runs
//! `QUERY_MIX` ROUNDS times, the engines taking turns query by query so that
//! load on the shared machine hits all of them alike. Three sides:
//! - `annals`: `SearchIndex::search` as the server calls it (top 20 documents,
//!   snippets, facets, totals);
//! - `tantivy-top20`: the same index queried the way FTS5 is (top 20 parts by
//!   BM25, snippets, total count) — the like-for-like figure;
//! - `fts5`: `ORDER BY bm25 LIMIT 20` with `snippet()`, plus `count(*)`.
//!
//! Appends `n<TAB>side<TAB>query<TAB>microseconds` per search to SAMPLES_TSV
//! and prints build times and medians.
use annals_index::{IndexDoc, SearchIndex, SearchRequest};
use std::io::Write;
use std::path::Path;
use std::time::Instant;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::TantivyDocument;

const PARTS_PER_DOC: usize = 15;

fn unit(rng: &mut annals_bench::Rng, i: usize, title: &str) -> IndexDoc {
    IndexDoc {
        doc: format!("post-{}", i / PARTS_PER_DOC),
        part: (i % PARTS_PER_DOC) as u32,
        kind: "paragraph".into(),
        title: title.to_string(),
        text: {
            let k = 2 + rng.below(4);
            annals_bench::paragraph(rng, k)
        },
        outlet: Some(["Northern Review", "Harbour Gazette", "Policy Letters"][i % 3].into()),
        category: Some("ESSAYS".into()),
        year: Some(2005 + (i / PARTS_PER_DOC % 19) as u64),
        line: 1 + i as u32,
        entities: Vec::new(),
        event_types: Vec::new(),
    }
}

fn units(n: usize) -> Vec<IndexDoc> {
    let mut rng = annals_bench::Rng::new(0xbe9c4);
    let mut title = String::new();
    (0..n)
        .map(|i| {
            if i % PARTS_PER_DOC == 0 {
                title = annals_bench::title(&mut rng, i / PARTS_PER_DOC);
            }
            unit(&mut rng, i, &title)
        })
        .collect()
}

fn ready_marker(dir: &Path, n: usize) -> std::path::PathBuf {
    dir.join(format!("ready-{n}"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 5 {
        eprintln!("usage: bench_search N_PARAGRAPHS WORK_DIR ROUNDS SAMPLES_TSV");
        std::process::exit(2);
    }
    let n: usize = args[1].parse()?;
    let work = Path::new(&args[2]).join(format!("search-{n}"));
    let rounds: usize = args[3].parse()?;
    let mut out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&args[4])?;
    let idx_dir = work.join("annals.index");
    let db_path = work.join("fts5.db");
    if !ready_marker(&work, n).exists() {
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&work)?;
        let t = Instant::now();
        let us = units(n);
        let bytes: usize = us.iter().map(|u| u.text.len()).sum();
        eprintln!(
            "search {n}: generated {:.1} MB of paragraphs in {:.1}s",
            bytes as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
        let t = Instant::now();
        let db = rusqlite::Connection::open(&db_path)?;
        db.execute_batch(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
             CREATE VIRTUAL TABLE p USING fts5(text, doc UNINDEXED, part UNINDEXED, tokenize='porter unicode61');
             BEGIN;",
        )?;
        {
            let mut ins = db.prepare("INSERT INTO p(text, doc, part) VALUES (?1, ?2, ?3)")?;
            for u in &us {
                ins.execute(rusqlite::params![u.text, u.doc, u.part])?;
            }
        }
        db.execute_batch("COMMIT; INSERT INTO p(p) VALUES('optimize');")?;
        drop(db);
        let fts_build = t.elapsed().as_secs_f64();
        let t = Instant::now();
        annals_index::build(&idx_dir, "bench", us)?;
        let annals_build = t.elapsed().as_secs_f64();
        eprintln!("search {n}: built FTS5 in {fts_build:.1}s, annals index in {annals_build:.1}s");
        std::fs::write(
            work.join("build.tsv"),
            format!("{n}\tfts5\t{fts_build:.3}\n{n}\tannals\t{annals_build:.3}\n"),
        )?;
        std::fs::write(ready_marker(&work, n), "")?;
    } else {
        eprintln!("search {n}: reusing the indexes in {}", work.display());
    }

    let annals = SearchIndex::open(&idx_dir)?;
    let gen = std::fs::read_to_string(idx_dir.join("CURRENT"))?;
    let raw = tantivy::Index::open_in_dir(idx_dir.join(gen.trim()))?;
    let raw_reader = raw.reader()?;
    let text_f = raw.schema().get_field("text")?;
    let mut parser = QueryParser::for_index(&raw, vec![text_f]);
    parser.set_conjunction_by_default();
    let db = rusqlite::Connection::open(&db_path)?;
    let mut top = db.prepare(
        "SELECT doc, part, snippet(p, 0, '[', ']', '…', 24), bm25(p) AS s FROM p WHERE p MATCH ?1 ORDER BY s LIMIT 20",
    )?;
    let mut count = db.prepare("SELECT count(*) FROM p WHERE p MATCH ?1")?;

    let mut run = |side: usize, q: &str| -> Result<usize, Box<dyn std::error::Error>> {
        Ok(match side {
            0 => {
                let req = SearchRequest {
                    q: q.to_string(),
                    ..SearchRequest::default()
                };
                annals.search(&req)?.total_parts
            }
            1 => {
                let searcher = raw_reader.searcher();
                let (query, _) = parser.parse_query_lenient(q);
                let (hits, total) =
                    searcher.search(&query, &(TopDocs::with_limit(20).order_by_score(), Count))?;
                let gen = SnippetGenerator::create(&searcher, &*query, text_f)?;
                let mut chars = 0;
                for (_, addr) in hits {
                    let d: TantivyDocument = searcher.doc(addr)?;
                    let text = d
                        .get_first(text_f)
                        .and_then(|v| v.as_str())
                        .unwrap_or_default()
                        .to_string();
                    chars += gen.snippet(&text).fragment().len();
                }
                std::hint::black_box(chars);
                total
            }
            _ => {
                let mut rows = top.query([q])?;
                let mut chars = 0;
                while let Some(r) = rows.next()? {
                    chars += r.get::<_, String>(2)?.len();
                }
                std::hint::black_box(chars);
                count.query_row([q], |r| r.get::<_, i64>(0))? as usize
            }
        })
    };
    const SIDES: [&str; 3] = ["annals", "tantivy-top20", "fts5"];
    // Warm-up (page cache, lazy structures), and a check that both engines agree on what matches.
    for q in annals_bench::QUERY_MIX {
        let counts: Vec<usize> = (0..3).map(|s| run(s, q)).collect::<Result<_, _>>()?;
        if counts[1] != counts[2] {
            eprintln!(
                "note: {q:?} matches {} parts in tantivy, {} in FTS5 (tokenisers differ)",
                counts[1], counts[2]
            );
        }
    }
    let mut samples: [Vec<f64>; 3] = Default::default();
    for r in 0..rounds {
        for (qi, q) in annals_bench::QUERY_MIX.iter().enumerate() {
            for k in 0..3 {
                let side = (k + r + qi) % 3;
                let t = Instant::now();
                std::hint::black_box(run(side, q)?);
                let us = t.elapsed().as_secs_f64() * 1e6;
                samples[side].push(us);
                writeln!(out, "{n}\t{}\t{qi}\t{us:.1}", SIDES[side])?;
            }
        }
    }
    for (s, v) in samples.iter_mut().enumerate() {
        let p = annals_bench::report::percentiles(v);
        println!(
            "search {n:>8} {:<14} p50 {:>8.2} ms  p99 {:>8.2} ms",
            SIDES[s],
            p.0 / 1e3,
            p.1 / 1e3
        );
    }
    Ok(())
}
