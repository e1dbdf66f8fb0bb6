//! The report: reads the tab-separated measurements `scripts/bench` wrote into
//! a results folder and writes docs/benchmarks.md with SVG plots. Medians over
//! repeated runs (the machine is shared and noisy), ratios of medians, and
//! growth exponents as least-squares slopes on log-log axes.
use crate::svg::{Chart, Series};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// The median of `v` (NaN when empty).
pub fn median(v: &[f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let m = s.len() / 2;
    if s.len() % 2 == 1 {
        s[m]
    } else {
        (s[m - 1] + s[m]) / 2.0
    }
}

/// The value below which `q` (0..1) of `sorted` falls (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

/// (p50, p99) of `v`; sorts it.
pub fn percentiles(v: &mut [f64]) -> (f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    (quantile(v, 0.5), quantile(v, 0.99))
}

/// Least-squares slope of ln y against ln x: the exponent k of y ∝ x^k.
pub fn loglog_slope(points: &[(f64, f64)]) -> f64 {
    let p: Vec<(f64, f64)> = points
        .iter()
        .filter(|(x, y)| *x > 0.0 && *y > 0.0)
        .map(|(x, y)| (x.ln(), y.ln()))
        .collect();
    if p.len() < 2 {
        return f64::NAN;
    }
    let n = p.len() as f64;
    let mx = p.iter().map(|q| q.0).sum::<f64>() / n;
    let my = p.iter().map(|q| q.1).sum::<f64>() / n;
    let sxy: f64 = p.iter().map(|q| (q.0 - mx) * (q.1 - my)).sum();
    let sxx: f64 = p.iter().map(|q| (q.0 - mx).powi(2)).sum();
    sxy / sxx
}

fn rows(dir: &Path, name: &str) -> Vec<Vec<String>> {
    std::fs::read_to_string(dir.join(name))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn num(s: &str) -> f64 {
    s.trim().parse().unwrap_or(f64::NAN)
}

fn yes(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**missed**"
    }
}

/// One archive's ingest figures (medians over runs).
struct Ingest {
    label: String,
    mb: f64,
    words: f64,
    files: f64,
    runs: usize,
    wall: f64,
    cpu: f64,
    rss_mb: f64,
}

/// Writes `md_path` and SVGs into `svg_dir` from the results in `dir`;
/// returns the summary table (also printed by the caller).
pub fn write(dir: &Path, md_path: &Path, svg_dir: &Path) -> std::io::Result<String> {
    std::fs::create_dir_all(svg_dir)?;
    let svg_rel = svg_dir
        .strip_prefix(md_path.parent().unwrap_or(Path::new("")))
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| svg_dir.display().to_string());
    let text = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap_or_default();

    // Ingest: label, bytes, words, files, run, wall_s, cpu_s, rss_kb.
    let mut by: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    let mut order = Vec::new();
    for r in rows(dir, "ingest.tsv") {
        if r.len() < 8 {
            continue;
        }
        if !by.contains_key(&r[0]) {
            order.push(r[0].clone());
        }
        by.entry(r[0].clone()).or_default().push(r);
    }
    let ingest: Vec<Ingest> = order
        .iter()
        .map(|l| {
            let rs = &by[l];
            let col = |i: usize| median(&rs.iter().map(|r| num(&r[i])).collect::<Vec<_>>());
            Ingest {
                label: l.clone(),
                mb: col(1) / 1e6,
                words: col(2),
                files: col(3),
                runs: rs.len(),
                wall: col(5),
                cpu: col(6),
                rss_mb: col(7) / 1024.0,
            }
        })
        .collect();
    let generated: Vec<&Ingest> = ingest
        .iter()
        .filter(|i| i.label.starts_with("generated"))
        .collect();

    // Re-ingest: docs, files, run, wall_s, rss_kb.
    let re = rows(dir, "reingest.tsv");
    let re_wall = median(&re.iter().map(|r| num(&r[3])).collect::<Vec<_>>());
    let re_docs = re.first().map(|r| num(&r[0])).unwrap_or(f64::NAN);

    // NER: run, side, words, wall_s, inner_s.
    let ner = rows(dir, "ner.tsv");
    let ner_col = |side: &str, i: usize| {
        median(
            &ner.iter()
                .filter(|r| r[1] == side)
                .map(|r| num(&r[i]))
                .collect::<Vec<_>>(),
        )
    };
    let ner_words = ner.first().map(|r| num(&r[2])).unwrap_or(f64::NAN);
    let (a_wall, a_start) = (ner_col("annals", 3), ner_col("annals-startup", 3));
    let (s_wall, s_inner) = (ner_col("spacy", 3), ner_col("spacy", 4));
    let a_wps = ner_words / a_wall;
    let s_wps = ner_words / s_inner;
    let ner_ratio = a_wps / s_wps;
    let ner_runs = ner.iter().filter(|r| r[1] == "spacy").count();

    // Search samples: n, side, query, us.
    let mut lat: BTreeMap<(u64, String), Vec<f64>> = BTreeMap::new();
    for r in rows(dir, "search.tsv") {
        if r.len() >= 4 {
            lat.entry((num(&r[0]) as u64, r[1].clone()))
                .or_default()
                .push(num(&r[3]));
        }
    }
    let sizes: Vec<u64> = {
        let mut s: Vec<u64> = lat.keys().map(|k| k.0).collect();
        s.dedup();
        s
    };
    let builds = rows(dir, "search-build.tsv");
    let pct = |n: u64, side: &str| -> (f64, f64) {
        let mut v = lat.get(&(n, side.to_string())).cloned().unwrap_or_default();
        let p = percentiles(&mut v);
        (p.0 / 1e3, p.1 / 1e3)
    };

    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `scripts/bench` (crate `annals-bench`, issue 7); do not edit by hand — rerun the suite. \
         Every comparison runs both sides alternately in the same script; figures are medians over the runs.\n"
    );
    let _ = writeln!(
        md,
        "## Machine and command\n\n```\n{}```\n",
        text("machine.txt")
    );
    let _ = writeln!(md, "Command: `{}`\n", text("command.txt").trim());
    let notes = text("notes.txt");
    if !notes.trim().is_empty() {
        let _ = writeln!(md, "What ran and what did not:\n");
        for l in notes.lines().filter(|l| !l.trim().is_empty()) {
            let _ = writeln!(md, "- {l}");
        }
        md.push('\n');
    }

    // Summary against goals.
    let mut sum = String::new();
    let _ = writeln!(sum, "| figure | measured | goal | |\n|---|---|---|---|");
    if !ner.is_empty() {
        let _ = writeln!(
            sum,
            "| who/where/when vs spaCy `en_core_web_sm` NER (words/s ratio) | {:.1}× ({:.0} vs {:.0} words/s) | ≥ 100× | {} |",
            ner_ratio,
            a_wps,
            s_wps,
            yes(ner_ratio >= 100.0)
        );
    }
    if let Some(&n) = sizes.last() {
        let (a50, a99) = pct(n, "annals");
        let (t50, t99) = pct(n, "tantivy-top20");
        let (f50, f99) = pct(n, "fts5");
        let _ = writeln!(
            sum,
            "| search at {n} paragraphs: FTS5 p50 / annals p50 (product search, with facets) | {:.2}× ({f50:.2} vs {a50:.2} ms) | ≥ 3× | {} |",
            f50 / a50,
            yes(f50 / a50 >= 3.0)
        );
        let _ = writeln!(
            sum,
            "| search at {n}: annals p99 | {a99:.2} ms | ≤ 5 ms | {} |",
            yes(a99 <= 5.0)
        );
        let _ = writeln!(
            sum,
            "| search at {n}: FTS5 / tantivy top-20 (same work as FTS5), p50 and p99 | {:.2}× and {:.2}× ({t50:.2} / {t99:.2} ms) | ≥ 3×, p99 ≤ 5 ms | {} |",
            f50 / t50,
            f99 / t99,
            yes(f50 / t50 >= 3.0 && t99 <= 5.0)
        );
    }
    if !re.is_empty() {
        let _ = writeln!(
            sum,
            "| re-ingest of an unchanged {re_docs:.0}-document archive | {re_wall:.2} s | ≤ 1 s | {} |",
            yes(re_wall <= 1.0)
        );
    }
    let tpts: Vec<(f64, f64)> = generated.iter().map(|i| (i.mb, i.wall)).collect();
    let mpts: Vec<(f64, f64)> = generated.iter().map(|i| (i.mb, i.rss_mb)).collect();
    // Growth is read above 1 MB, where fixed start-up costs no longer dominate.
    let above = |v: &[(f64, f64)]| -> Vec<(f64, f64)> {
        let b: Vec<(f64, f64)> = v.iter().copied().filter(|p| p.0 >= 5.0).collect();
        if b.len() >= 2 {
            b
        } else {
            v.to_vec()
        }
    };
    let (big_t, big_m) = (above(&tpts), above(&mpts));
    let (ts, ms) = (loglog_slope(&big_t), loglog_slope(&big_m));
    if let Some(big) = generated.last() {
        // Flat means the largest run's RSS, carried to 1 GB along the measured growth, stays under 300 MB.
        let at_gb = if big.mb >= 999.0 || ms.is_nan() {
            big.rss_mb
        } else {
            big.rss_mb * (1000.0 / big.mb).powf(ms.max(0.0))
        };
        let _ = writeln!(
            sum,
            "| peak RSS of ingest at {:.0} MB (largest run); carried to 1 GB along its growth | {:.0} MB; ≈ {:.0} MB at 1 GB | flat, ≤ 300 MB at 1 GB | {} |",
            big.mb,
            big.rss_mb,
            at_gb,
            yes(at_gb <= 300.0)
        );
    }
    if generated.len() >= 2 {
        let _ = writeln!(
            sum,
            "| growth exponent of ingest time vs size (≥ 10 MB; all sizes: {:.2}) | {ts:.2} | ≤ 1 (linear) | {} |",
            loglog_slope(&tpts),
            yes(ts <= 1.1)
        );
        let _ = writeln!(
            sum,
            "| growth exponent of peak RSS vs size (≥ 10 MB; all sizes: {:.2}) | {ms:.2} | ≈ 0 (flat) | {} |",
            loglog_slope(&mpts),
            yes(ms <= 0.2)
        );
    }
    let _ = writeln!(md, "## Against the goals\n\n{sum}");

    // Ingest.
    if !ingest.is_empty() {
        let _ = writeln!(
            md,
            "## Ingest (`annals ingest`, release, into a new store)\n"
        );
        let _ = writeln!(
            md,
            "Wall time and peak RSS from `/usr/bin/time -v`; words/s per core is words over user+system CPU seconds.\n"
        );
        let _ = writeln!(
            md,
            "| archive | MB | words | files | runs | wall s | MB/s | words/s | words/s per core | peak RSS MB |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        );
        for i in &ingest {
            let _ = writeln!(
                md,
                "| {} | {:.2} | {:.0} | {:.0} | {} | {:.2} | {:.2} | {:.0} | {:.0} | {:.0} |",
                i.label,
                i.mb,
                i.words,
                i.files,
                i.runs,
                i.wall,
                i.mb / i.wall,
                i.words / i.wall,
                i.words / i.cpu,
                i.rss_mb
            );
        }
        let _ = writeln!(
            md,
            "\nGrowth (log-log slope over the generated sizes ≥ 10 MB): time ∝ size^{ts:.2}, peak RSS ∝ size^{ms:.2}.\n"
        );
        let _ = writeln!(md, "![ingest throughput]({svg_rel}/throughput.svg)\n\n![ingest memory]({svg_rel}/memory.svg)\n");
        let thr = Chart {
            title: "Ingest throughput",
            x_label: "archive size (MB)",
            y_label: "MB/s",
            log_x: true,
            log_y: false,
            markers: true,
        };
        std::fs::write(
            svg_dir.join("throughput.svg"),
            thr.render(&[
                Series {
                    name: "generated archives".into(),
                    points: generated.iter().map(|i| (i.mb, i.mb / i.wall)).collect(),
                },
                Series {
                    name: "real archive".into(),
                    points: ingest
                        .iter()
                        .filter(|i| !i.label.starts_with("generated"))
                        .map(|i| (i.mb, i.mb / i.wall))
                        .collect(),
                },
            ]),
        )?;
        let mem = Chart {
            title: "Peak RSS of ingest",
            x_label: "archive size (MB)",
            y_label: "peak RSS (MB)",
            log_x: true,
            log_y: true,
            markers: true,
        };
        std::fs::write(
            svg_dir.join("memory.svg"),
            mem.render(&[
                Series {
                    name: "generated archives".into(),
                    points: mpts.clone(),
                },
                Series {
                    name: "real archive".into(),
                    points: ingest
                        .iter()
                        .filter(|i| !i.label.starts_with("generated"))
                        .map(|i| (i.mb, i.rss_mb))
                        .collect(),
                },
                Series {
                    name: "goal (300 MB)".into(),
                    points: vec![(mpts.first().map_or(1.0, |p| p.0), 300.0), (1000.0, 300.0)],
                },
            ]),
        )?;
    }
    if !re.is_empty() {
        let _ = writeln!(
            md,
            "## Re-ingest of an unchanged archive\n\n{re_docs:.0} documents in {:.0} files, {} runs: median {re_wall:.3} s wall, peak RSS {:.0} MB.\n",
            re.first().map(|r| num(&r[1])).unwrap_or(f64::NAN),
            re.len(),
            median(&re.iter().map(|r| num(&r[4]) / 1024.0).collect::<Vec<_>>())
        );
    }

    // NER.
    if !ner.is_empty() {
        let _ = writeln!(md, "## Who/where/when pass against spaCy\n");
        let _ = writeln!(
            md,
            "The same paragraphs (JSON lines) go through `annals entities tag --time` (entities and time expressions in one \
             pass; release, one thread, wall time of the process including start-up and loading the packs), and through spaCy's `en_core_web_sm` with \
             every component but `tok2vec` and `ner` excluded, one process, one thread, `nlp.pipe` timed inside Python \
             (model loading not counted). {ner_words:.0} words, {ner_runs} runs each, alternating.\n"
        );
        let _ = writeln!(
            md,
            "| side | median s | words/s |\n|---|---:|---:|\n| annals entities + time (wall) | {a_wall:.3} | {a_wps:.0} |\n\
             | annals start-up alone (empty input) | {a_start:.3} | |\n| spaCy NER (`nlp.pipe` only) | {s_inner:.3} | {s_wps:.0} |\n\
             | spaCy process (wall, with import and load) | {s_wall:.3} | {:.0} |\n",
            ner_words / s_wall
        );
        let _ = writeln!(
            md,
            "Ratio (annals wall vs spaCy pipe only): **{ner_ratio:.1}×**; without annals start-up: {:.1}×; wall vs wall: {:.1}×.\n",
            (ner_words / (a_wall - a_start).max(1e-6)) / s_wps,
            a_wps / (ner_words / s_wall)
        );
        let m = text("ner-model.txt");
        if !m.trim().is_empty() {
            let _ = writeln!(md, "spaCy model: {}\n", m.trim());
        }
    }

    // Search.
    if !sizes.is_empty() {
        let _ = writeln!(md, "## Search against SQLite FTS5\n");
        let _ = writeln!(
            md,
            "The same generated paragraphs in an annals index (`annals_index::build`, the product schema, `en_stem`) and an \
             FTS5 table (`porter unicode61`). A fixed mix of {} queries (words, phrases, OR, names), engines taking turns query by \
             query. Sides: **annals** = `SearchIndex::search` as the server calls it (one pass over every match for the exact \
             counts and the facets, top 20 documents with up to 3 passages each and their snippets); **tantivy-top20** = the same index asked for what FTS5 is asked (top 20 parts by BM25 \
             with snippets, and the total); **fts5** = `ORDER BY bm25 LIMIT 20` with `snippet()`, plus `count(*)`.\n",
            crate::QUERY_MIX.len()
        );
        let _ = writeln!(
            md,
            "| paragraphs | side | samples | p50 ms | p99 ms | FTS5 p50 / side p50 | FTS5 p99 / side p99 | build s |\n|---:|---|---:|---:|---:|---:|---:|---:|"
        );
        for &n in &sizes {
            let (f50, f99) = pct(n, "fts5");
            for side in ["annals", "tantivy-top20", "fts5"] {
                let (p50, p99) = pct(n, side);
                let b = builds
                    .iter()
                    .find(|r| {
                        r.len() >= 3
                            && num(&r[0]) as u64 == n
                            && (r[1] == side || (side == "tantivy-top20" && r[1] == "annals"))
                    })
                    .map(|r| format!("{:.1}", num(&r[2])))
                    .unwrap_or_default();
                let _ = writeln!(
                    md,
                    "| {n} | {side} | {} | {p50:.3} | {p99:.3} | {:.2}× | {:.2}× | {b} |",
                    lat.get(&(n, side.to_string())).map_or(0, |v| v.len()),
                    f50 / p50,
                    f99 / p99
                );
            }
        }
        let _ = writeln!(md, "\n![search latency distribution]({svg_rel}/latency.svg)\n\n![search latency vs size]({svg_rel}/search-scaling.svg)\n");
        let n = *sizes.last().unwrap_or(&0);
        let cdf = |side: &str| -> Vec<(f64, f64)> {
            let mut v = lat.get(&(n, side.to_string())).cloned().unwrap_or_default();
            v.sort_by(|a, b| a.total_cmp(b));
            let k = v.len() as f64;
            v.iter()
                .enumerate()
                .map(|(i, us)| (us / 1e3, (i + 1) as f64 / k))
                .collect()
        };
        let title = format!("Search latency distribution, {n} paragraphs");
        let c = Chart {
            title: &title,
            x_label: "latency (ms)",
            y_label: "fraction of queries ≤ latency",
            log_x: true,
            log_y: false,
            markers: false,
        };
        std::fs::write(
            svg_dir.join("latency.svg"),
            c.render(&[
                Series {
                    name: "annals (product search)".into(),
                    points: cdf("annals"),
                },
                Series {
                    name: "tantivy top-20".into(),
                    points: cdf("tantivy-top20"),
                },
                Series {
                    name: "SQLite FTS5".into(),
                    points: cdf("fts5"),
                },
            ]),
        )?;
        let c = Chart {
            title: "Search latency vs index size",
            x_label: "paragraphs",
            y_label: "ms",
            log_x: true,
            log_y: true,
            markers: true,
        };
        let mut ss = Vec::new();
        for side in ["annals", "tantivy-top20", "fts5"] {
            ss.push(Series {
                name: format!("{side} p50"),
                points: sizes.iter().map(|&n| (n as f64, pct(n, side).0)).collect(),
            });
            ss.push(Series {
                name: format!("{side} p99"),
                points: sizes.iter().map(|&n| (n as f64, pct(n, side).1)).collect(),
            });
        }
        std::fs::write(svg_dir.join("search-scaling.svg"), c.render(&ss))?;
    }
    let prof = text("profile.md");
    if !prof.trim().is_empty() {
        let _ = writeln!(md, "## Profiles\n\n{prof}");
    }
    std::fs::write(md_path, md)?;
    Ok(sum)
}
