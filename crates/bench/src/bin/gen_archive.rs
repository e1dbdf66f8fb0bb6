//! Writes a synthetic archive (see the crate docs):
//! `gen_archive OUT_DIR [MEGABYTES=110 | --posts N] [SEED]`.
fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| "bench-archive".into()));
    let size = args.next().unwrap_or_else(|| "110".into());
    let w = if size == "--posts" {
        let posts: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
        let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(0x5eed);
        annals_bench::write_posts(&out, posts, seed)?
    } else {
        let mb: f64 = size.parse().unwrap_or(110.0);
        let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(0x5eed);
        annals_bench::write_archive(&out, (mb * 1e6) as usize, seed)?
    };
    eprintln!(
        "{} files, {} posts, {:.1} MB in {}",
        w.files,
        w.posts,
        w.bytes as f64 / 1e6,
        out.display()
    );
    Ok(())
}
