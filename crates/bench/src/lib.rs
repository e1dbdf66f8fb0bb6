//! Benchmark support for annals: a generator of synthetic archives and
//! paragraphs, and the report writer (medians, log-log slopes, SVG plots).
//!
//! The generator composes analytical blog posts (preamble, title, standfirst,
//! body with captions and headings, numbered notes or link references) from
//! templates and word lists written for it — never from any corpus — so the
//! suite can produce archives of any size with the same shape as the real one:
//! people, places, organisations and dates for the who/where/when pass, and
//! note markers glued to the end of paragraphs for the notes stage.
//! Output is deterministic for a given seed.
use std::fmt::Write as _;

pub mod report;
pub mod svg;

/// A small deterministic generator (xorshift64*), enough for varied text.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (any value).
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const CATEGORIES: &[&str] = &[
    "ESSAYS",
    "DISPATCHES",
    "JOURNAL ARTICLES",
    "COMMENTARY",
    "REVIEWS",
    "INTERVIEWS",
];
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
/// Real cities and countries (general knowledge), for the who/where pass.
const CITIES: &[&str] = &[
    "Almaty",
    "Tashkent",
    "Bishkek",
    "Dushanbe",
    "Kabul",
    "Islamabad",
    "Karachi",
    "Beijing",
    "Shanghai",
    "Moscow",
    "Brussels",
    "Washington",
    "Tehran",
    "Ankara",
    "Delhi",
    "Baku",
    "Tbilisi",
    "Astana",
    "Lahore",
    "Urumqi",
    "Kazakhstan",
    "Uzbekistan",
    "Pakistan",
    "Afghanistan",
    "China",
    "Russia",
    "Turkey",
    "India",
    "Iran",
];
/// Invented people.
const PEOPLE: &[&str] = &[
    "Amira Sadykova",
    "Tomas Brennan",
    "Li Wenjun",
    "Farid Rahimov",
    "Helena Marsh",
    "Oleg Petrenko",
    "Nadia Karimi",
    "Samuel Okafor",
    "Yusuf Demir",
    "Irina Volkova",
    "Chen Guoliang",
    "Daniel Weiss",
];
const ROLES: &[&str] = &[
    "Minister",
    "Governor",
    "President",
    "Ambassador",
    "Dr",
    "General",
    "Professor",
];
const ORGS: &[&str] = &[
    "the World Bank",
    "the European Union",
    "the Asian Development Bank",
    "the United Nations",
    "the Shanghai Cooperation Organisation",
    "the International Monetary Fund",
    "the Caspian Freight Company",
    "the Eurasian Economic Union",
];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
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
    "Quiet",
    "Uneasy",
    "Long",
    "New",
    "Hidden",
    "Slow",
    "Costly",
    "Fragile",
    "Unfinished",
    "Contested",
    "Shifting",
    "Northern",
    "Distant",
    "Crowded",
];
const NOUNS: &[&str] = &[
    "Bargain",
    "Frontier",
    "Corridor",
    "Settlement",
    "Crossing",
    "Experiment",
    "Compromise",
    "Harvest",
    "Market",
    "Network",
    "Calculation",
    "Balance",
    "Reckoning",
    "Partnership",
];
const OPENERS: &[&str] = &[
    "A new piece for {outlet}, which I wrote after a long trip through {place}.",
    "My latest article for {outlet}, looking at how {topic} have {verb} life in {city}.",
    "I have been meaning to post this piece for {outlet} for a while now.",
    "Another longer essay, this time for {outlet}, on {topic} and what they mean for {city}.",
    "A shorter piece I wrote for {outlet} on the way back from a conference in {city} about {topic}.",
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
    "Interviews in {city} suggested a more cautious mood than official statements implied.",
    "The debate over {topic} has become a proxy for a wider argument about who decides.",
    "None of this was inevitable, and several earlier attempts at reform had stalled.",
    "Officials in {city} were keen to stress continuity, though {actors} told a different story.",
    "By the end of {year}, {topic} had become the subject of heated meetings in {place}.",
    "On {day} {month} {year}, {role} {person} told reporters in {city} that {topic} would be reviewed.",
    "{person}, who advised {org} until {year}, described the plan as overdue.",
    "In {month} {year}, {org} agreed to finance a study of {topic} in {city}.",
    "A delegation from {city} met {role} {person} the following week to discuss {topic}.",
    "According to {org}, trade between {city} and {city} grew by {pct} per cent in {year}.",
    "When {person} visited {city} last {month}, the talks focused on {topic}.",
    "Two years later, {org} and {actors} signed a memorandum on {topic}.",
];
const HEADINGS: &[&str] = &[
    "THE BACKGROUND",
    "A CHANGING PICTURE",
    "WHAT COMES NEXT",
    "THE LOCAL VIEW",
    "LOOKING AHEAD",
];

fn fill(template: &str, rng: &mut Rng) -> String {
    let mut s = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        s.push_str(&rest[..i]);
        let Some(j) = rest[i..].find('}') else { break };
        let key = &rest[i + 1..i + j];
        let word: std::borrow::Cow<str> = match key {
            "outlet" => rng.pick(OUTLETS).into(),
            "place" => rng.pick(PLACES).into(),
            "topic" => rng.pick(TOPICS).into(),
            "verb" => rng.pick(VERBS).into(),
            "actors" => rng.pick(ACTORS).into(),
            "city" => rng.pick(CITIES).into(),
            "person" => rng.pick(PEOPLE).into(),
            "role" => rng.pick(ROLES).into(),
            "org" => rng.pick(ORGS).into(),
            "month" => rng.pick(MONTHS).into(),
            "day" => (1 + rng.below(28)).to_string().into(),
            "year" => (2005 + rng.below(19)).to_string().into(),
            "pct" => (2 + rng.below(40)).to_string().into(),
            _ => "something".into(),
        };
        s.push_str(&word);
        rest = &rest[i + j + 1..];
    }
    s.push_str(rest);
    // Capitalise a sentence that starts with a filled-in word.
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_lowercase() => c.to_uppercase().chain(chars).collect(),
        _ => s,
    }
}

/// One body paragraph of `sentences` sentences.
pub fn paragraph(rng: &mut Rng, sentences: usize) -> String {
    let mut p = String::new();
    for k in 0..sentences {
        if k > 0 {
            p.push(' ');
        }
        p.push_str(&fill(rng.pick(SENTENCES), rng));
    }
    p
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A post title (numbered so that titles, and so document ids, stay distinct).
pub fn title(rng: &mut Rng, n: usize) -> String {
    format!(
        "The {} {}: {} in Year {}",
        rng.pick(ADJECTIVES),
        rng.pick(NOUNS),
        title_case(rng.pick(TOPICS)),
        n
    )
}

/// One post, appended to `out`.
pub fn post(rng: &mut Rng, n: usize, out: &mut String) {
    let _ = writeln!(
        out,
        "{} {}\n",
        fill(rng.pick(OPENERS), rng),
        paragraph(rng, 1)
    );
    let _ = writeln!(out, "{}\n", title(rng, n));
    let _ = writeln!(out, "{}\n", paragraph(rng, 2));
    if rng.chance(30) {
        let _ = writeln!(
            out,
            "By {}, {} {} {}\n",
            rng.pick(PEOPLE),
            1 + rng.below(28),
            rng.pick(MONTHS),
            2005 + rng.below(19)
        );
    }
    let paragraphs = 12 + rng.below(20);
    let with_notes = rng.chance(30);
    let mut markers = 0;
    for i in 0..paragraphs {
        if i == 2 && rng.chance(60) {
            let _ = writeln!(
                out,
                "Traders at a market in {}, {}. Photo: Staff Photographer\n",
                rng.pick(CITIES),
                2005 + rng.below(19)
            );
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
                "{k}. {}, ‘A report on {}’, {}, {} 20{:02}, <https://example.org/reports/{n}/{k}>, accessed 3 May 2023.\n",
                rng.pick(PEOPLE),
                rng.pick(TOPICS),
                rng.pick(OUTLETS).trim_start_matches("the "),
                rng.pick(MONTHS),
                10 + rng.below(13)
            );
        }
    } else if rng.chance(40) {
        for k in 1..=3 {
            let _ = writeln!(out, "[{k}]: https://example.org/{n}/source-{k}\n");
        }
    }
}

/// One archive file: a category page of 5 to 14 posts; `posts` counts posts so far.
pub fn page(rng: &mut Rng, posts: &mut usize) -> String {
    let mut text = format!("Archive for the ‘{}’ Category\n\n", rng.pick(CATEGORIES));
    for _ in 0..(5 + rng.below(10)) {
        *posts += 1;
        post(rng, *posts, &mut text);
    }
    text.truncate(text.trim_end().len());
    text
}

/// What [`write_archive`] wrote.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    /// Files.
    pub files: usize,
    /// Posts (documents).
    pub posts: usize,
    /// Bytes.
    pub bytes: usize,
}

/// Writes category pages into `dir` until about `bytes` bytes are written.
pub fn write_archive(dir: &std::path::Path, bytes: usize, seed: u64) -> std::io::Result<Written> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(seed);
    let mut w = Written {
        files: 0,
        posts: 0,
        bytes: 0,
    };
    while w.bytes < bytes {
        let text = page(&mut rng, &mut w.posts);
        std::fs::write(
            dir.join(format!("page-{:05}.txt", w.files)),
            text.as_bytes(),
        )?;
        w.bytes += text.len();
        w.files += 1;
    }
    Ok(w)
}

/// Writes category pages into `dir` until exactly `posts` posts are written.
pub fn write_posts(dir: &std::path::Path, posts: usize, seed: u64) -> std::io::Result<Written> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(seed);
    let mut w = Written {
        files: 0,
        posts: 0,
        bytes: 0,
    };
    while w.posts < posts {
        let mut text = format!("Archive for the ‘{}’ Category\n\n", rng.pick(CATEGORIES));
        for _ in 0..(5 + rng.below(10)).min(posts - w.posts) {
            w.posts += 1;
            post(&mut rng, w.posts, &mut text);
        }
        text.truncate(text.trim_end().len());
        std::fs::write(
            dir.join(format!("page-{:05}.txt", w.files)),
            text.as_bytes(),
        )?;
        w.bytes += text.len();
        w.files += 1;
    }
    Ok(w)
}

/// A fixed mix of searches in the syntax both engines read the same way
/// (words all required, quoted phrases, OR): common and rare words, names, phrases.
pub const QUERY_MIX: &[&str] = &[
    "pipeline",
    "customs reform",
    "Almaty",
    "\"rail corridors\"",
    "Sadykova",
    "World Bank",
    "cotton OR grain",
    "memorandum",
    "warehouses checkpoints",
    "\"heated meetings\"",
    "Tashkent Bishkek",
    "delegation",
    "fishing quotas",
    "inevitable reform",
    "Brennan Kabul",
    "digital payments",
    "telecom",
    "\"per cent\"",
    "investors",
    "mining OR licences",
];
