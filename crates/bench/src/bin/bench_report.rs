//! `bench_report RESULTS_DIR MARKDOWN_OUT SVG_DIR`: writes the benchmark report (see `annals_bench::report`).
fn main() -> std::io::Result<()> {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 4 {
        eprintln!("usage: bench_report RESULTS_DIR MARKDOWN_OUT SVG_DIR");
        std::process::exit(2);
    }
    let sum = annals_bench::report::write(a[1].as_ref(), a[2].as_ref(), a[3].as_ref())?;
    print!("{sum}");
    Ok(())
}
