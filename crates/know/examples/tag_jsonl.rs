//! Tags `{"id","text"}` JSONL from stdin to stdout: `cargo run -p annals-know --example tag_jsonl < in.jsonl`
fn main() {
    let rec = annals_know::Recognizer::builtin();
    let stdin = std::io::stdin();
    let skipped = rec
        .tag_jsonl(stdin.lock(), std::io::stdout().lock())
        .expect("io");
    if skipped > 0 {
        eprintln!("skipped {skipped} lines");
    }
}
