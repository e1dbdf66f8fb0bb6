//! Generates a synthetic plain-text archive for benchmarks: category pages of
//! blog posts (preamble, title, standfirst, body with captions and section
//! headings, sometimes numbered notes or link references), built from
//! templates and word lists written for this generator, never from any corpus.
//!
//! Usage: `cargo run --release --example gen_archive -p annals-engine -- OUT_DIR [MEGABYTES] [SEED]`
//!
//! The output is deterministic for a given seed.
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

/// A small deterministic generator (xorshift64*), enough for varied text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const CATEGORIES: &[&str] = &["ESSAYS", "DISPATCHES", "JOURNAL ARTICLES", "COMMENTARY", "REVIEWS", "INTERVIEWS"];
const OUTLETS: &[&str] = &[
    "the Northern Review",
    "the Harbour Gazette",
    "the Eastern Quarterly",
    "Strategy Monthly",
    "the Continental Observer",
    "Policy Letters",
    "the Frontier Journal",
];
const PLACES: &[&str] = &[
    "the river valley",
    "the northern plateau",
    "the coastal provinces",
    "the mountain passes",
    "the border towns",
    "the capital",
    "the southern ports",
    "the inland basin",
    "the eastern steppe",
    "the delta",
    "the old caravan cities",
    "the industrial belt",
];
const ACTORS: &[&str] = &[
    "the ministry",
    "local traders",
    "provincial governors",
    "foreign investors",
    "the regional bank",
    "shipping lines",
    "the railway authority",
    "village councils",
    "the energy company",
    "customs officials",
    "the planning commission",
    "small farmers",
    "security services",
    "university researchers",
];
const TOPICS: &[&str] = &[
    "water rights",
    "rail corridors",
    "port concessions",
    "cotton prices",
    "border crossings",
    "power lines",
    "mining licences",
    "road tolls",
    "grain storage",
    "digital payments",
    "fishing quotas",
    "pipeline routes",
    "labour migration",
    "customs reform",
    "telecom towers",
];
const VERBS: &[&str] = &[
    "reshaped",
    "complicated",
    "accelerated",
    "quietly changed",
    "undermined",
    "strengthened",
    "redrew",
    "unsettled",
    "revived",
    "slowed",
];
const ADJECTIVES: &[&str] = &[
    "Quiet", "Uneasy", "Long", "New", "Hidden", "Slow", "Costly", "Fragile", "Unfinished", "Contested", "Shifting",
    "Northern", "Distant", "Crowded",
];
const NOUNS: &[&str] = &[
    "Bargain", "Frontier", "Corridor", "Settlement", "Crossing", "Experiment", "Compromise", "Harvest", "Market",
    "Network", "Calculation", "Balance", "Reckoning", "Partnership",
];
const OPENERS: &[&str] = &[
    "A new piece for {outlet}, which I wrote after a long trip through {place}.",
    "My latest article for {outlet}, looking at how {topic} have {verb} life in {place}.",
    "I have been meaning to post this piece for {outlet} for a while now.",
    "Another longer essay, this time for {outlet}, on {topic} and what they mean for {place}.",
    "A shorter piece I wrote for {outlet} on the way back from a conference about {topic}.",
];
const SENTENCES: &[&str] = &[
    "Over the past decade {topic} have {verb} the economy of {place}.",
    "For {actors}, the question is no longer whether to act but how quickly.",
    "Few observers expected {actors} to move so decisively on {topic}.",
    "In {place}, the change is visible in new warehouses, busier roads and longer queues at the checkpoints.",
    "The numbers tell only part of the story, and {actors} are the first to say so.",
    "Much of this happened without a plan, as {actors} improvised around rules that no longer fitted.",
    "Critics argue that {topic} have mostly benefited {actors}, while everyone else waited.",
    "It would be a mistake to read this as a simple story of decline or of success.",
    "What happens next depends on whether {actors} can agree on {topic} before the next season.",
    "Interviews in {place} suggested a more cautious mood than official statements implied.",
    "The debate over {topic} has become a proxy for a wider argument about who decides.",
    "None of this was inevitable, and several earlier attempts at reform had stalled.",
    "Officials in the capital were keen to stress continuity, though {actors} told a different story.",
    "By the end of the year, {topic} had become the subject of heated meetings in {place}.",
];
const HEADINGS: &[&str] = &["THE BACKGROUND", "A CHANGING PICTURE", "WHAT COMES NEXT", "THE LOCAL VIEW", "LOOKING AHEAD"];

fn fill(template: &str, rng: &mut Rng) -> String {
    let mut s = template.to_string();
    while let Some(i) = s.find('{') {
        let Some(j) = s[i..].find('}') else { break };
        let key = &s[i + 1..i + j];
        let word = match key {
            "outlet" => rng.pick(OUTLETS),
            "place" => rng.pick(PLACES),
            "topic" => rng.pick(TOPICS),
            "verb" => rng.pick(VERBS),
            "actors" => rng.pick(ACTORS),
            _ => "something",
        };
        s.replace_range(i..i + j + 1, word);
    }
    // Capitalise a sentence that starts with a filled-in word.
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => s,
    }
}

fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    (0..sentences).map(|_| fill(rng.pick(SENTENCES), rng)).collect::<Vec<_>>().join(" ")
}

fn post(rng: &mut Rng, n: usize, out: &mut String) {
    let _ = writeln!(out, "{} {}\n", fill(rng.pick(OPENERS), rng), paragraph(rng, 1));
    let topic = rng.pick(TOPICS);
    let title_topic: String = topic
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ");
    // The post number keeps titles (and so ids) distinct across the archive.
    let _ = writeln!(out, "The {} {}: {} in Year {}\n", rng.pick(ADJECTIVES), rng.pick(NOUNS), title_topic, n);
    let _ = writeln!(out, "{}\n", paragraph(rng, 2));
    let paragraphs = 12 + rng.below(20);
    let with_notes = rng.chance(30);
    let mut markers = 0;
    for i in 0..paragraphs {
        if i == 2 && rng.chance(60) {
            let _ = writeln!(out, "Traders at a market in {}, 2019. Photo: Staff Photographer\n", rng.pick(PLACES));
        }
        if i > 0 && i % 8 == 0 && rng.chance(50) {
            let _ = writeln!(out, "{}\n", rng.pick(HEADINGS));
        }
        let sentences = 3 + rng.below(5);
        let mut p = paragraph(rng, sentences);
        if with_notes {
            markers += 1;
            let _ = write!(p, "{markers}");
        }
        let _ = writeln!(out, "{p}\n");
    }
    if with_notes {
        out.push_str("Notes\n\n");
        for k in 1..=markers {
            let _ = writeln!(
                out,
                "{k}. Author {k}, ‘A report on {}’, {}, {} 20{:02}, <https://example.org/reports/{n}/{k}>, accessed 3 May 2023.\n",
                rng.pick(TOPICS),
                rng.pick(OUTLETS).trim_start_matches("the "),
                ["March", "June", "October"][rng.below(3)],
                10 + rng.below(13)
            );
        }
    } else if rng.chance(40) {
        for k in 1..=3 {
            let _ = writeln!(out, "[{k}]: https://example.org/{n}/source-{k}\n");
        }
    }
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let out_dir = PathBuf::from(args.next().unwrap_or_else(|| "bench-archive".into()));
    let megabytes: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(110);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(0x5eed);
    std::fs::create_dir_all(&out_dir)?;
    let mut rng = Rng(seed | 1);
    let target = megabytes * 1_000_000;
    let (mut written, mut files, mut posts) = (0usize, 0usize, 0usize);
    while written < target {
        let mut text = format!("Archive for the ‘{}’ Category\n\n", rng.pick(CATEGORIES));
        for _ in 0..(5 + rng.below(10)) {
            posts += 1;
            post(&mut rng, posts, &mut text);
        }
        let path = out_dir.join(format!("page-{files:05}.txt"));
        std::fs::File::create(&path)?.write_all(text.trim_end().as_bytes())?;
        written += text.len();
        files += 1;
    }
    eprintln!("{files} files, {posts} posts, {:.1} MB in {}", written as f64 / 1e6, out_dir.display());
    Ok(())
}
