//! Tags `{"id","dct","text"}` JSON lines from stdin to stdout, as `annals time tag` does,
//! without building the whole CLI: `cargo run --release -p annals-time --example timex_jsonl < in.jsonl`
fn main() {
    let out = std::io::BufWriter::new(std::io::stdout().lock());
    annals_time::tag_jsonl(std::io::stdin().lock(), out).expect("tag");
}
