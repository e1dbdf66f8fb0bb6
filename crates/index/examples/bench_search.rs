//! Search latency of the tantivy index beside SQLite FTS5 on the same
//! generated paragraphs and the same queries. A benchmark, not a test:
//! it prints figures and ratios.
//!
//! cargo run --release -p annals-index --example bench_search -- [PARAGRAPHS] [QUERIES]
//! (defaults: 1000000 paragraphs, 2000 queries)
use annals_index::{build, IndexDoc, SearchIndex, SearchRequest};
use std::time::Instant;

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Zipf-like pick: small indices far more often, as words in text.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

fn vocabulary(n: usize) -> Vec<String> {
    let syl = [
        "ka", "ro", "stan", "pa", "mir", "shu", "ten", "gor", "al", "ve", "dun", "lek", "sa", "bi",
        "tor", "an", "ze", "chi",
    ];
    let mut v = Vec::with_capacity(n);
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    while v.len() < n {
        let k = 1 + (r.next() % 3) as usize;
        let w: String = (0..k)
            .map(|_| syl[(r.next() % syl.len() as u64) as usize])
            .collect();
        v.push(format!("{w}{}", v.len() % 97));
    }
    v
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let nq: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let vocab = vocabulary(50_000);
    let mut r = Rng(42);
    let paras: Vec<String> = (0..n)
        .map(|_| {
            let len = 30 + (r.next() % 60) as usize;
            (0..len)
                .map(|_| vocab[r.zipf(vocab.len())].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let tmp = std::env::temp_dir().join(format!("annals-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();

    let t = Instant::now();
    let units = paras.iter().enumerate().map(|(i, p)| IndexDoc {
        doc: format!("d{}", i / 40),
        part: (i % 40) as u32,
        kind: "body".into(),
        text: p.clone(),
        year: Some(2000 + (i % 20) as u64),
        ..Default::default()
    });
    build(&tmp.join("ix"), "bench", units.collect()).unwrap();
    let ix = SearchIndex::open(&tmp.join("ix")).unwrap();
    let t_build = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let db = rusqlite::Connection::open(tmp.join("fts.db")).unwrap();
    db.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; CREATE VIRTUAL TABLE p USING fts5(doc UNINDEXED, text);").unwrap();
    {
        let tx = db.unchecked_transaction().unwrap();
        let mut ins = tx
            .prepare("INSERT INTO p(doc, text) VALUES (?1, ?2)")
            .unwrap();
        for (i, p) in paras.iter().enumerate() {
            ins.execute(rusqlite::params![format!("d{}", i / 40), p])
                .unwrap();
        }
        drop(ins);
        tx.commit().unwrap();
    }
    let t_fts = t.elapsed().as_secs_f64();

    // Queries: one word, two words (AND), a two-word phrase taken from a paragraph.
    let mut queries: Vec<(String, String)> = Vec::new();
    for i in 0..nq {
        let w = |r: &mut Rng| vocab[r.zipf(2000) + 20].clone();
        match i % 3 {
            0 => {
                let a = w(&mut r);
                queries.push((a.clone(), a));
            }
            1 => {
                let (a, b) = (w(&mut r), w(&mut r));
                queries.push((format!("{a} {b}"), format!("{a} AND {b}")));
            }
            _ => {
                let p = &paras[(r.next() % n as u64) as usize];
                let ws: Vec<&str> = p.split(' ').collect();
                let k = (r.next() % (ws.len() as u64 - 1)) as usize;
                let ph = format!("\"{} {}\"", ws[k], ws[k + 1]);
                queries.push((ph.clone(), ph));
            }
        }
    }
    // Same work on both sides: the top 20 hits with a snippet, and the count.
    let mut lat_t = Vec::new();
    let mut hits_t = 0usize;
    for (q, _) in &queries {
        let t = Instant::now();
        let res = ix
            .search(&SearchRequest {
                q: q.clone(),
                limit: 20,
                hits_per_doc: 1,
                ..Default::default()
            })
            .unwrap();
        lat_t.push(t.elapsed().as_secs_f64() * 1000.0);
        hits_t += res.total_parts;
    }
    let mut lat_n = Vec::new();
    for (q, _) in &queries {
        let t = Instant::now();
        let res = ix
            .search(&SearchRequest {
                q: q.clone(),
                limit: 20,
                hits_per_doc: 1,
                facets: false,
                ..Default::default()
            })
            .unwrap();
        lat_n.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(res);
    }
    let mut lat_f = Vec::new();
    let mut hits_f = 0usize;
    let mut top = db
        .prepare("SELECT doc, snippet(p, 1, '[', ']', '…', 20) FROM p WHERE p MATCH ?1 ORDER BY bm25(p) LIMIT 20")
        .unwrap();
    let mut count = db
        .prepare("SELECT count(*) FROM p WHERE p MATCH ?1")
        .unwrap();
    for (_, q) in &queries {
        let t = Instant::now();
        let rows: Vec<(String, String)> = top
            .query_map([q], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let c: i64 = count.query_row([q], |r| r.get(0)).unwrap();
        lat_f.push(t.elapsed().as_secs_f64() * 1000.0);
        hits_f += c as usize;
        std::hint::black_box(rows);
    }
    let (tp50, tp99) = (percentile(&mut lat_t, 0.5), percentile(&mut lat_t, 0.99));
    let (np50, np99) = (percentile(&mut lat_n, 0.5), percentile(&mut lat_n, 0.99));
    let (fp50, fp99) = (percentile(&mut lat_f, 0.5), percentile(&mut lat_f, 0.99));
    println!("paragraphs {n}, queries {nq} (1/3 word, 1/3 two words AND, 1/3 phrase)");
    println!("build: tantivy {t_build:.1} s (with facet fields), FTS5 {t_fts:.1} s");
    println!(
        "matches counted: tantivy {hits_t}, FTS5 {hits_f} (tantivy stems; FTS5 unicode61 does not)"
    );
    println!(
        "tantivy (top 20 grouped + snippets + facets + count): p50 {tp50:.2} ms, p99 {tp99:.2} ms"
    );
    println!("tantivy (top 20 grouped + snippets + count, no facets): p50 {np50:.2} ms, p99 {np99:.2} ms");
    println!(
        "FTS5    (top 20 by bm25 + snippets + count):          p50 {fp50:.2} ms, p99 {fp99:.2} ms"
    );
    println!(
        "ratio FTS5/tantivy with facets: p50 {:.1}x, p99 {:.1}x",
        fp50 / tp50,
        fp99 / tp99
    );
    println!(
        "ratio FTS5/tantivy without facets: p50 {:.1}x, p99 {:.1}x",
        fp50 / np50,
        fp99 / np99
    );
    let _ = std::fs::remove_dir_all(&tmp);
}
