//! Where pages live: the same pages are served (`/doc/ID`) and published as
//! files (`doc/ID.html`, linked relatively so the site works under any path).

/// Builds links for one page.
#[derive(Debug, Clone)]
pub struct Links {
    /// Prefix to the site root: `/` when served, `./` or `../` when published.
    pub root: String,
    /// `""` when served, `.html` when published.
    pub ext: &'static str,
    /// True for the static site (search runs in the browser).
    pub published: bool,
}

impl Links {
    /// Links for the server.
    pub fn server() -> Links {
        Links {
            root: "/".into(),
            ext: "",
            published: false,
        }
    }

    /// Links for a published page `depth` folders below the site root.
    pub fn published(depth: usize) -> Links {
        Links {
            root: if depth == 0 {
                "./".into()
            } else {
                "../".repeat(depth)
            },
            ext: ".html",
            published: true,
        }
    }

    /// A top-level page (`archive`, `timeline`...); `""` is the home page.
    pub fn page(&self, name: &str) -> String {
        match (name, self.published) {
            ("", false) => self.root.clone(),
            ("", true) => format!("{}index.html", self.root),
            _ => format!("{}{}{}", self.root, name, self.ext),
        }
    }

    /// A document page.
    pub fn doc(&self, id: &str) -> String {
        format!("{}doc/{}{}", self.root, self.seg(id), self.ext)
    }

    /// An entity page.
    pub fn entity(&self, id: &str) -> String {
        format!("{}entity/{}{}", self.root, self.seg(id), self.ext)
    }

    /// An id as a path segment: on disk a published page is named by
    /// [`file_name`], which the link encodes once more (hosts decode it once).
    fn seg(&self, id: &str) -> String {
        if self.published {
            enc(&file_name(id))
        } else {
            enc(id)
        }
    }

    /// A static asset.
    pub fn asset(&self, name: &str) -> String {
        format!("{}static/{}", self.root, name)
    }

    /// A page with a query string (`pairs` are encoded).
    pub fn query(&self, page: &str, pairs: &[(&str, &str)]) -> String {
        let q: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
            .collect();
        if q.is_empty() {
            self.page(page)
        } else {
            format!("{}?{}", self.page(page), q.join("&"))
        }
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), so ids
/// with `:` or `/` stay one path segment and never read as a scheme.
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The file name a published page gets for an id (one safe path segment).
pub fn file_name(id: &str) -> String {
    let e = enc(id);
    match e.strip_prefix('.') {
        Some(rest) => format!("%2E{rest}"),
        None => e,
    }
}

/// A URL from archive text, if it may become a link: only http, https and
/// mailto, nothing with control characters or spaces.
pub fn safe_href(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.to_ascii_lowercase();
    let ok = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:");
    (ok && !u.chars().any(|c| c.is_control() || c.is_whitespace())).then_some(u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_links() {
        assert!(safe_href("https://example.org/a?b=c").is_some());
        assert!(safe_href("mailto:a@b.org").is_some());
        assert!(safe_href("javascript:alert(1)").is_none());
        assert!(safe_href(" JaVaScRiPt:alert(1)").is_none());
        assert!(safe_href("data:text/html,x").is_none());
        assert!(safe_href("http://a b").is_none());
    }

    #[test]
    fn ids_stay_one_segment() {
        assert_eq!(enc("place:kabul/x y"), "place%3Akabul%2Fx%20y");
        assert_eq!(file_name("../etc"), "%2E.%2Fetc");
        let l = Links::published(1);
        assert_eq!(l.doc("a:b"), "../doc/a%253Ab.html");
        assert_eq!(
            Links::server().query("search", &[("q", "a&b"), ("x", "")]),
            "/search?q=a%26b"
        );
    }
}
