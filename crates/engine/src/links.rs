//! Link checking for the notes audit: an HTTP [`LinkChecker`] and the
//! concurrent, cached check of every distinct URL the notes cite.
use annals_notes::LinkChecker;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How URLs are checked.
#[derive(Debug, Clone)]
pub struct LinkCheckOptions {
    /// URLs checked at the same time.
    pub concurrency: usize,
    /// Ask again even where the store has an answer.
    pub recheck: bool,
}

impl Default for LinkCheckOptions {
    fn default() -> Self {
        LinkCheckOptions {
            concurrency: 8,
            recheck: false,
        }
    }
}

/// Checks URLs over HTTP: a HEAD request (a GET where HEAD is refused),
/// redirects followed, a timeout on connecting and on the whole answer.
/// A status below 400 is an answer.
pub struct HttpLinkChecker {
    agent: ureq::Agent,
}

impl HttpLinkChecker {
    /// A checker with `timeout` per request and at most 10 redirects.
    pub fn new(timeout: Duration) -> HttpLinkChecker {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(timeout)
            .timeout(timeout)
            .redirects(10)
            .user_agent(concat!(
                "annals/",
                env!("CARGO_PKG_VERSION"),
                " (link check)"
            ))
            .build();
        HttpLinkChecker { agent }
    }
}

impl Default for HttpLinkChecker {
    fn default() -> Self {
        HttpLinkChecker::new(Duration::from_secs(10))
    }
}

impl LinkChecker for HttpLinkChecker {
    fn check(&self, url: &str) -> Result<(), String> {
        let answer = |r: Result<ureq::Response, ureq::Error>| match r {
            Ok(resp) => Ok(resp.status()),
            Err(ureq::Error::Status(code, _)) => Ok(code),
            Err(ureq::Error::Transport(t)) => Err(t.to_string()),
        };
        let mut status = answer(self.agent.head(url).call())?;
        // Some servers refuse HEAD (405, 403, 501): ask again with GET.
        if matches!(status, 403 | 405 | 501) {
            status = answer(self.agent.get(url).call())?;
        }
        if status < 400 {
            Ok(())
        } else {
            Err(format!("HTTP {status}"))
        }
    }
}

/// Checks `urls` with at most `concurrency` at a time; results by URL.
pub(crate) fn check_all(
    checker: &(dyn LinkChecker + Sync),
    urls: &[String],
    concurrency: usize,
) -> HashMap<String, Result<(), String>> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(HashMap::new());
    std::thread::scope(|s| {
        for _ in 0..concurrency.clamp(1, 64).min(urls.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(url) = urls.get(i) else { break };
                let r = checker.check(url);
                results
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(url.clone(), r);
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// Answers from results already known.
pub(crate) struct Known(pub(crate) HashMap<String, Result<(), String>>);

impl LinkChecker for Known {
    fn check(&self, url: &str) -> Result<(), String> {
        self.0.get(url).cloned().unwrap_or(Ok(()))
    }
}
