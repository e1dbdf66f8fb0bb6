//! What a URL says about its source: the site's readable name and a date
//! written in its path (`/2022/07/31/`, `-20140718`).
//!
//! Site names come from a small data table of well-known domains
//! (`data/domains.tsv`); any other site is named by its domain.
use annals_model::notes::CslDate;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static DOMAINS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!("../data/domains.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .collect()
});

/// The host of a URL, lowercased, without `www.`-like prefixes.
pub fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|x| x.1).unwrap_or(url);
    let host = rest
        .split(['/', '?', '#'])
        .next()?
        .split('@')
        .next_back()?
        .split(':')
        .next()?;
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    let h = host.to_ascii_lowercase();
    let trimmed = h
        .strip_prefix("www.")
        .or_else(|| h.strip_prefix("www3."))
        .or_else(|| h.strip_prefix("www2."))
        .or_else(|| h.strip_prefix("m."))
        .unwrap_or(&h);
    Some(trimmed.to_string())
}

/// The readable name of a URL's site: the data table's name for its domain (or
/// a parent domain), else the domain itself.
pub fn site_name(url: &str) -> Option<String> {
    let h = host(url)?;
    let mut d: &str = &h;
    loop {
        if let Some(name) = DOMAINS.get(d) {
            return Some(name.to_string());
        }
        match d.split_once('.') {
            Some((_, rest)) if rest.contains('.') => d = rest,
            _ => break,
        }
    }
    Some(h)
}

/// The readable name of a URL's site when the table names exactly its host,
/// else the host: `finance.yahoo.com` stays itself.
pub fn site_name_exact(url: &str) -> Option<String> {
    let h = host(url)?;
    Some(DOMAINS.get(h.as_str()).map(|s| s.to_string()).unwrap_or(h))
}

static PATH_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)(?:/|$)").unwrap());
static PATH_YM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"/((?:19|20)\d\d)/(\d\d)/").unwrap());
static GLUED_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z\-_]((?:19|20)\d\d)(\d\d)(\d\d)(?:$|[/?#.\-_])").unwrap());

/// A publication date written in a URL's path: `/2022/07/31/`, or an
/// eight-digit `YYYYMMDD` glued to the end of an id (`...idUSKBN0FN11Z20140718`).
/// Year-month paths (`/2017/03/`) give a month. Dates that are not valid
/// calendar dates are ignored.
pub fn date_in_url(url: &str) -> Option<CslDate> {
    let path = url.split_once("://").map(|x| x.1).unwrap_or(url);
    let path = &path[path.find('/').unwrap_or(path.len())..];
    let path = path.split(['?', '#']).next().unwrap_or("");
    if let Some(c) = PATH_DATE.captures(path) {
        if let Some(d) = ymd(&c[1], &c[2], Some(&c[3])) {
            return Some(d);
        }
    }
    if let Some(c) = GLUED_DATE.captures(path) {
        if let Some(d) = ymd(&c[1], &c[2], Some(&c[3])) {
            return Some(d);
        }
    }
    if let Some(c) = PATH_YM.captures(path) {
        if let Some(d) = ymd(&c[1], &c[2], None) {
            return Some(d);
        }
    }
    None
}

fn ymd(y: &str, m: &str, d: Option<&str>) -> Option<CslDate> {
    let y: i32 = y.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if !(1..=12).contains(&m) {
        return None;
    }
    let mut parts = vec![y, m];
    if let Some(d) = d {
        let d: i32 = d.parse().ok()?;
        if !(1..=31).contains(&d) {
            return None;
        }
        parts.push(d);
    }
    Some(CslDate {
        date_parts: vec![parts],
        raw: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(url: &str) -> Option<String> {
        date_in_url(url).and_then(|d| d.iso())
    }

    #[test]
    fn dates_in_urls() {
        assert_eq!(
            iso("https://example.org/2019/04/02/a-story/"),
            Some("2019-04-02".into())
        );
        assert_eq!(
            iso("https://www.wire.com/article/x/some-title-idUSKCN1AB2CX20181103"),
            Some("2018-11-03".into())
        );
        assert_eq!(
            iso("https://example.org/2017/03/slug"),
            Some("2017-03".into())
        );
        assert_eq!(
            iso("http://site.cn/article/201209/20120908320465.shtml"),
            None
        );
        assert_eq!(iso("https://example.org/news-asia-12345678"), None);
    }

    #[test]
    fn site_names() {
        assert_eq!(
            site_name("https://www.reuters.com/article/x"),
            Some("Reuters".into())
        );
        assert_eq!(
            site_name("https://news.cgtn.com/news/x"),
            Some("CGTN".into())
        );
        assert_eq!(
            site_name("https://blog.unknown-site.org/x"),
            Some("blog.unknown-site.org".into())
        );
    }
}
