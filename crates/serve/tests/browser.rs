//! The reading room in a real headless Chromium, driven over WebDriver
//! (chromedriver + fantoccini), as a reader would use it. Skips with a message
//! when chromium or chromedriver is absent, unless ANNALS_REQUIRE_BROWSER=1
//! (CI sets it after installing them). Screenshots are kept in
//! `$CARGO_TARGET_TMPDIR/screens/` (or ANNALS_SCREENSHOTS).
mod common;
use common::*;
use fantoccini::{ClientBuilder, Locator};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|n| {
        std::env::split_paths(&path)
            .map(|d| d.join(n))
            .find(|p| p.is_file())
    })
}

struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn screens() -> PathBuf {
    let d = std::env::var_os("ANNALS_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screens"));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_uses_the_reading_room_in_chromium() {
    let required = std::env::var("ANNALS_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let (Some(chrome), Some(driver)) = (
        which(&["chromium", "chromium-browser", "google-chrome"]),
        which(&["chromedriver"]),
    ) else {
        assert!(
            !required,
            "ANNALS_REQUIRE_BROWSER=1 but chromium or chromedriver is not installed"
        );
        eprintln!("SKIPPED browser test: chromium and chromedriver are not installed (apt-get install -y chromium chromium-driver)");
        return;
    };
    // The server over the fixture archive, on an ephemeral port.
    let f = fixture();
    let st = state(&f, true, None);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(annals_serve::serve(listener, st));

    let port = free_port();
    let _driver = Driver(
        Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let wd = format!("http://127.0.0.1:{port}");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chrome,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"]
        }),
    );
    let mut client = None;
    for _ in 0..50 {
        let conn = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(conn)
            .capabilities(caps.clone())
            .connect(&wd)
            .await
        {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let c = client.expect("a WebDriver session with chromium");
    let shots = screens();
    let shot = |name: &'static str| {
        let c = c.clone();
        let shots = shots.clone();
        async move {
            let png = c.screenshot().await.unwrap();
            std::fs::write(shots.join(format!("{name}.png")), png).unwrap();
        }
    };

    // The document: focus a note marker and see its reference.
    c.goto(&format!("{base}/doc/{ESSAY}")).await.unwrap();
    let tip = c.find(Locator::Css("a.mk .tip")).await.unwrap();
    assert!(
        !tip.is_displayed().await.unwrap(),
        "the reference is hidden until asked for"
    );
    c.execute(
        "document.querySelector('a.mk').focus(); return true;",
        vec![],
    )
    .await
    .unwrap();
    assert!(
        tip.is_displayed().await.unwrap(),
        "focusing the marker shows its reference"
    );
    let text = tip.text().await.unwrap();
    assert!(text.contains("Rails to Kashgar"), "tooltip: {text}");
    shot("document-marker-focused").await;
    // Following the marker reaches the note.
    c.find(Locator::Css("a.mk"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(c
        .current_url()
        .await
        .unwrap()
        .fragment()
        .is_some_and(|f| f.starts_with("note-")));

    // Search for a phrase from the home page's box and reach the paragraph.
    c.goto(&format!("{base}/")).await.unwrap();
    let q = c
        .find(Locator::Css("form.search input[name=q]"))
        .await
        .unwrap();
    q.send_keys("\"railway plan\"\n").await.unwrap();
    let mark = c
        .wait()
        .for_element(Locator::Css("p.hit mark"))
        .await
        .unwrap();
    assert!(mark
        .text()
        .await
        .unwrap()
        .to_lowercase()
        .contains("railway"));
    shot("search-results").await;
    c.find(Locator::Css("p.hit a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let url = c.current_url().await.unwrap();
    assert!(
        url.path().starts_with("/doc/") && url.fragment().is_some_and(|f| f.starts_with('p')),
        "{url}"
    );

    // An entity page.
    c.goto(&format!("{base}/entities")).await.unwrap();
    c.find(Locator::LinkText("Kabul"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let h1 = c
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(h1, "Kabul");
    shot("entity").await;

    // The timeline shows the events, the map the places.
    c.goto(&format!("{base}/timeline")).await.unwrap();
    let dots = c
        .find_all(Locator::Css("svg.timeline circle.dot"))
        .await
        .unwrap();
    assert!(!dots.is_empty(), "the timeline draws the events");
    shot("timeline").await;
    c.goto(&format!("{base}/map")).await.unwrap();
    assert!(!c
        .find_all(Locator::Css("svg.worldmap circle.place"))
        .await
        .unwrap()
        .is_empty());
    shot("map").await;

    // Script payloads in archive text are shown, never run.
    c.goto(&format!("{base}/doc/{PAYLOADS}")).await.unwrap();
    let ran = c
        .execute("return [window.__xss, window.parent.__xss, document.querySelectorAll('iframe,img,main svg,script:not([src$=\"app.js\"])').length];", vec![])
        .await
        .unwrap();
    assert_eq!(
        ran,
        serde_json::json!([null, null, 0]),
        "no payload executed or became an element"
    );
    let body = c
        .find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        body.contains("<script>window.__xss=1</script>"),
        "payload shown as text"
    );
    assert!(body.contains("<img src=x onerror=\"window.__xss=2\">"));
    shot("payloads").await;
    c.goto(&format!("{base}/search?q=onload")).await.unwrap();
    let ran = c
        .execute("return window.__xss === undefined;", vec![])
        .await
        .unwrap();
    assert_eq!(ran, serde_json::json!(true));

    // The seed archive, when ../shared is beside the checkout: its first
    // document has 89 notes, each marker showing its reference on focus.
    let seed = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/000_3e54375e224fbbf8.txt"
    ));
    if seed.exists() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("seed.db");
        let mut e = annals_engine::Engine::open(&db).unwrap();
        e.ingest(
            &[seed],
            &annals_engine::IngestOptions::default(),
            &annals_engine::Silent,
        )
        .unwrap();
        drop(e);
        let room = annals_serve::Room::load(&db).unwrap();
        let (doc, notes) = room
            .snap
            .notes
            .iter()
            .map(|(d, n)| (d.clone(), n.len()))
            .max_by_key(|x| x.1)
            .expect("the seed has notes");
        let st = annals_serve::AppState::new(
            room,
            annals_serve::Config {
                db,
                read_only: true,
                token: None,
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let seed_base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(annals_serve::serve(listener, st));
        c.goto(&format!(
            "{seed_base}/doc/{}",
            annals_serve::links::enc(&doc)
        ))
        .await
        .unwrap();
        let markers = c.find_all(Locator::Css("a.mk")).await.unwrap();
        let items = c.find_all(Locator::Css("section.notes li")).await.unwrap();
        eprintln!(
            "seed document {doc}: {} markers, {} notes",
            markers.len(),
            items.len()
        );
        assert_eq!(items.len(), notes);
        assert!(
            markers.len() >= notes * 9 / 10,
            "{} markers for {notes} notes",
            markers.len()
        );
        let m = &markers[markers.len() / 2];
        c.execute(
            "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus(); return true;",
            vec![serde_json::to_value(m).unwrap()],
        )
        .await
        .unwrap();
        let tip = m.find(Locator::Css(".tip")).await.unwrap();
        assert!(tip.is_displayed().await.unwrap());
        assert!(!tip.text().await.unwrap().contains("no note found"));
        shot("seed-document-marker-focused").await;
        c.goto(&format!("{seed_base}/search?q=%22Digital+Silk+Road%22"))
            .await
            .unwrap();
        assert!(!c
            .find_all(Locator::Css("p.hit mark"))
            .await
            .unwrap()
            .is_empty());
        shot("seed-search").await;
        c.goto(&format!("{seed_base}/timeline")).await.unwrap();
        assert!(
            c.find_all(Locator::Css("svg.timeline circle.dot"))
                .await
                .unwrap()
                .len()
                > 10
        );
        shot("seed-timeline").await;
        c.goto(&format!("{seed_base}/map")).await.unwrap();
        assert!(
            c.find_all(Locator::Css("svg.worldmap circle.place"))
                .await
                .unwrap()
                .len()
                > 10
        );
        shot("seed-map").await;
    } else {
        eprintln!(
            "seed archive absent ({}): seed checks skipped",
            seed.display()
        );
    }
    eprintln!("screenshots in {}", shots.display());
    c.close().await.unwrap();
}
