//! Where the start-up of the recogniser goes: parsing the packs, merging them, compiling
//! the gazetteer, reading the lexicon and the weights (milliseconds, one run each).
//! `cargo run --release -p annals-know --example startup_know`
use annals_know::{gazetteer::Gazetteer, Knowledge, Pack, Recognizer};
use std::time::Instant;

fn main() {
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let packs = Pack::builtin();
    println!("parse packs     {:7.1} ms", ms(t));
    let t = Instant::now();
    let kb = Knowledge::from_packs(&packs);
    println!(
        "merge packs     {:7.1} ms ({} entries)",
        ms(t),
        kb.entries.len()
    );
    let t = Instant::now();
    let _gaz = Gazetteer::new(&kb);
    println!("gazetteer       {:7.1} ms", ms(t));
    let t = Instant::now();
    let _m = Recognizer::shipped_model();
    println!("weights         {:7.1} ms", ms(t));
    let t = Instant::now();
    let _r = Recognizer::builtin();
    println!("whole builtin() {:7.1} ms", ms(t));
}
