//! The end-to-end harness: a chromedriver + headless Debian chromium session, the
//! local emulator serving the release `dist/` as a static site on its own origin
//! (as S3 would), and helpers that find form controls by their visible labels.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use cognito_emulator::{Config, Running};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use futures::FutureExt;
use hyper_util::client::legacy::connect::HttpConnector;
use tokio::process::{Child, Command};

/// CSS selectors of the result panels (by their headings) and the status line.
pub mod panel {
    pub const TOKEN: &str = "section[aria-labelledby='token-response-heading']";
    pub const DECODED: &str = "section[aria-labelledby='decoded-token-heading']";
    pub const CHECKS: &str = "section[aria-labelledby='checks-heading']";
    pub const API: &str = "section[aria-labelledby='api-response-heading']";
    pub const CANARY: &str = "section[aria-labelledby='canary-heading']";
    pub const VERDICT: &str = ".verdict";
}

/// How long any one expected state may take to appear before the test fails.
pub const WAIT: Duration = Duration::from_secs(15);

/// The app is mounted and every panel's wasm part has loaded (src/ui/parts.rs): the form is
/// there and no part is still loading (or failed).
pub const APP_READY: &str =
    "main.layout:has(form.settings):not(:has(.part:not([data-state='loaded'])))";

/// The release build the tests drive; `make e2e` builds it first.
pub fn dist_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist");
    assert!(
        dir.join("index.html").exists(),
        "no release build at {}: run `make dist` (or `make e2e`, which builds it)",
        dir.display()
    );
    dir
}

/// An emulator on free ports, also serving `dist/` as the static site. `adjust`
/// changes the configuration (CORS mode, token validity…) before it starts.
pub async fn emulator(adjust: impl FnOnce(&mut Config)) -> Running {
    let mut config = Config {
        port: 0,
        static_dir: Some(dist_dir()),
        static_port: 0,
        ..Config::default()
    };
    adjust(&mut config);
    cognito_emulator::start(config)
        .await
        .expect("the emulator starts")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// One browser: chromedriver and the chromium it drives.
pub struct Browser {
    pub client: Client,
    /// Console messages read so far (chromedriver hands each one out once).
    log: std::sync::Mutex<Vec<String>>,
    /// Where this browser saves downloads (the evidence report, exports).
    pub downloads: PathBuf,
    _driver: Child,
}

impl Browser {
    pub async fn start() -> Browser {
        Browser::start_with(&[]).await
    }

    /// A browser with more chromium flags (e.g. `--host-resolver-rules` to reach the site under another name).
    pub async fn start_with(extra_args: &[&str]) -> Browser {
        let port = free_port();
        let driver = Command::new(
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
        )
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts (make setup installs it)");
        let downloads = std::env::temp_dir().join(format!("e2e-downloads-{port}"));
        let _ = std::fs::remove_dir_all(&downloads);
        std::fs::create_dir_all(&downloads).expect("a downloads folder");
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "prefs": {
                    "download.default_directory": downloads.to_string_lossy(),
                    "download.prompt_for_download": false
                },
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,1000", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                ]
            },
            "goog:loggingPrefs": { "browser": "ALL" }
        });
        let mut caps = match caps {
            serde_json::Value::Object(map) => map,
            _ => unreachable!(),
        };
        if let Some(serde_json::Value::Array(args)) = caps
            .get_mut("goog:chromeOptions")
            .and_then(|o| o.get_mut("args"))
        {
            args.extend(extra_args.iter().map(|a| serde_json::Value::from(*a)));
        }
        // chromedriver takes a moment to listen: retry the connection until it does.
        let deadline = Instant::now() + WAIT;
        let client = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if Instant::now() > deadline => {
                    panic!("cannot start a chromium session: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Browser {
            client,
            log: std::sync::Mutex::new(Vec::new()),
            downloads,
            _driver: driver,
        }
    }

    /// Runs a test body with a fresh browser and always closes it, even when the body fails.
    pub async fn with(body: impl AsyncFnOnce(&Browser)) {
        Browser::with_args(&[], body).await
    }

    /// `with`, for a browser started with `extra_args`.
    pub async fn with_args(extra_args: &[&str], body: impl AsyncFnOnce(&Browser)) {
        let browser = Browser::start_with(extra_args).await;
        let outcome = std::panic::AssertUnwindSafe(body(&browser))
            .catch_unwind()
            .await;
        let _ = browser.client.clone().close().await;
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
    }

    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("the page opens");
        // The form appears once the wasm app has mounted, the other panels once their parts load.
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(APP_READY))
            .await
            .expect("the app mounts and its panels load");
    }

    /// The control a visible `<label for>` names.
    pub async fn control(&self, label: &str) -> Element {
        let label_el = self
            .client
            .find(Locator::XPath(&format!(
                "//label[normalize-space()='{label}']"
            )))
            .await
            .unwrap_or_else(|e| panic!("no label \"{label}\": {e}"));
        let id = label_el
            .attr("for")
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("label \"{label}\" has no for="));
        self.client
            .find(Locator::Id(&id))
            .await
            .unwrap_or_else(|e| panic!("label \"{label}\" points at #{id}, which is missing: {e}"))
    }

    /// Replaces the text of the labelled field.
    pub async fn fill(&self, label: &str, value: &str) {
        let input = self.control(label).await;
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }

    /// Picks an option of a labelled `<select>` by its visible text.
    pub async fn choose(&self, label: &str, option: &str) {
        let select = self.control(label).await;
        select
            .select_by_label(option)
            .await
            .unwrap_or_else(|e| panic!("{label}: no option {option}: {e}"));
    }

    pub async fn button(&self, name: &str) -> Element {
        self.client
            .find(Locator::XPath(&format!(
                "//button[normalize-space()='{name}']"
            )))
            .await
            .unwrap_or_else(|e| panic!("no button \"{name}\": {e}"))
    }

    /// The first button whose text contains `part`.
    pub async fn button_containing(&self, part: &str) -> Element {
        self.client
            .find(Locator::XPath(&format!(
                "//button[contains(normalize-space(), '{part}')]"
            )))
            .await
            .unwrap_or_else(|e| panic!("no button containing \"{part}\": {e}"))
    }

    pub async fn click(&self, name: &str) {
        let button = self.button(name).await;
        self.click_el(&button).await;
    }

    /// Opens the `<details>` matching `css` by clicking its summary.
    pub async fn open_details(&self, css: &str) {
        let summary = self
            .client
            .find(Locator::Css(&format!("{css} summary")))
            .await
            .expect("the details' summary");
        self.click_el(&summary).await;
    }

    /// Clicks an element after scrolling it to the middle of the window: chromedriver clicks an
    /// element it deems in view where it is, even under the page's sticky run bar.
    pub async fn click_el(&self, el: &Element) {
        let arg = serde_json::to_value(el).expect("an element reference");
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})",
                vec![arg],
            )
            .await
            .expect("the element scrolls into view");
        el.click().await.unwrap();
    }

    /// The text of the first element matching `css`, or "" when there is none.
    pub async fn text(&self, css: &str) -> String {
        match self.client.find(Locator::Css(css)).await {
            Ok(el) => el.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits until the element's text contains `needle`; returns the whole text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.text(css).await;
            if text.contains(needle) {
                return text;
            }
            if Instant::now() > deadline {
                let status = self.text(".verdict").await;
                panic!("\"{css}\" never contained \"{needle}\"; it says:\n{text}\n(status line: {status})");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the text of the first element matching `css` is no longer `from`.
    pub async fn wait_text_change(&self, css: &str, from: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self.text(css).await;
            if text != from {
                return text;
            }
            assert!(Instant::now() < deadline, "\"{css}\" kept saying:\n{text}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Fills the form with the emulator's demo client and an API path on it.
    pub async fn fill_demo(&self, emu: &Running, api_path: &str) {
        self.fill("Client ID", "demo-client-id").await;
        self.fill("Client secret", "demo-client-secret").await;
        self.fill("Domain", &emu.base_url()).await;
        self.fill("Scope", "demo/example").await;
        self.fill("API URL", &format!("{}{api_path}", emu.base_url()))
            .await;
    }

    /// Waits until no run is on: the verdict region is not `aria-busy` (set from the click, while
    /// a fast run draws nothing else) and the Cancel button is disabled again.
    pub async fn wait_idle(&self) {
        let deadline = Instant::now() + WAIT;
        loop {
            let busy = self.js_string(
                "const v = document.getElementById('verdict'); return v ? String(v.getAttribute('aria-busy')) : 'none';",
            )
            .await;
            let cancel = self.button("Cancel").await;
            if busy != "true" && cancel.prop("disabled").await.unwrap().as_deref() == Some("true") {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "a request was still running after {WAIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The text of the results panel whose heading is `heading`.
    pub fn panel(heading: &str) -> String {
        let id = match heading {
            "Token response" => "token-response-heading",
            "Decoded token" => "decoded-token-heading",
            "API response" => "api-response-heading",
            other => panic!("unknown panel {other}"),
        };
        format!("section[aria-labelledby='{id}']")
    }
}

/// The repository root (where Trunk.toml is).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A free TCP port on loopback.
pub fn free_loopback_port() -> u16 {
    free_port()
}

/// Waits until `GET http://127.0.0.1:port/` answers 200 (a server finishing its start-up).
pub async fn wait_until_serving(port: u16, limit: Duration) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let deadline = Instant::now() + limit;
    loop {
        if let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            let request = format!("GET / HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
            let mut head = [0u8; 12];
            if stream.write_all(request.as_bytes()).await.is_ok()
                && stream.read_exact(&mut head).await.is_ok()
                && head.ends_with(b"200")
            {
                return;
            }
        }
        if Instant::now() > deadline {
            panic!("nothing served 200 on 127.0.0.1:{port} within {limit:?}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

impl Browser {
    /// Waits for a finished download whose name ends with `suffix`; returns its text.
    pub async fn downloaded(&self, suffix: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let paths: Vec<PathBuf> = std::fs::read_dir(&self.downloads)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .collect();
            // Chromium reserves the final name with an empty file while it writes a
            // `.crdownload` beside it: read only once that is gone and the file has its bytes.
            let writing = paths
                .iter()
                .any(|p| p.to_string_lossy().ends_with(".crdownload"));
            let found = paths
                .iter()
                .find(|p| p.to_string_lossy().ends_with(suffix))
                .filter(|_| !writing);
            if let Some(text) = found
                .map(|path| std::fs::read_to_string(path).expect("a text download"))
                .filter(|text| !text.is_empty())
            {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "no download ending in {suffix} in {}",
                self.downloads.display()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Collects console messages and errors from now on (read them with `console_messages`).
    pub async fn record_console(&self) {
        self.client
            .execute(
                "window.__console = []; for (const k of ['log','info','warn','error','debug']) { const f = console[k]; console[k] = (...a) => { window.__console.push(k + ': ' + a.map(String).join(' ')); f.apply(console, a); }; } window.addEventListener('error', e => window.__console.push('error: ' + e.message));",
                vec![],
            )
            .await
            .expect("the console hook installs");
    }

    pub async fn console_messages(&self) -> Vec<String> {
        let value = self
            .client
            .execute("return window.__console || []", vec![])
            .await
            .unwrap();
        serde_json::from_value(value).unwrap_or_default()
    }

    /// Runs a script until `done` holds for its string result, polling for up to five seconds;
    /// returns the last result either way (the caller asserts on it).
    pub async fn poll_js(&self, script: &str, done: impl Fn(&str) -> bool) -> String {
        let mut last = String::new();
        for _ in 0..50 {
            last = self.js_string(script).await;
            if done(&last) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        last
    }

    /// Runs a script and returns its string result.
    pub async fn js_string(&self, script: &str) -> String {
        let value = self.client.execute(script, vec![]).await.unwrap();
        value
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| value.to_string())
    }
}

/// chromedriver's `POST /session/{id}/se/log {"type":"browser"}`: the console
/// messages (including CSP violations) since the last call.
#[derive(Debug)]
struct BrowserLog;

impl fantoccini::wd::WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(r#"{"type":"browser"}"#.to_string()),
        )
    }
}

impl Browser {
    /// Every console message of this browser so far, from chromedriver's log.
    pub async fn browser_log(&self) -> Vec<String> {
        let fresh: Vec<String> = match self.client.issue_cmd(BrowserLog).await {
            Ok(serde_json::Value::Array(entries)) => entries
                .iter()
                .filter_map(|e| {
                    e.get("message")
                        .and_then(|m| m.as_str())
                        .map(str::to_string)
                })
                .collect(),
            Ok(other) => panic!("unexpected browser log answer: {other}"),
            Err(e) => panic!("chromedriver gave no browser log: {e}"),
        };
        let mut log = self.log.lock().unwrap();
        log.extend(fresh);
        log.clone()
    }
}

/// A Chrome DevTools Protocol command through chromedriver (`goog/cdp/execute`): colour scheme
/// emulation, which WebDriver has no command for.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.cmd, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// The layout, accessibility and screenshot helpers of the QA-screen tests.
impl Browser {
    /// Sets the window (in headless chromium: the viewport) to `width`×`height` through
    /// WebDriver, and checks the page sees that width.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("the window resizes");
        let inner = self.js_string("return String(window.innerWidth)").await;
        assert_eq!(inner, width.to_string(), "the viewport is {inner} px wide");
    }

    /// None when the page does not scroll sideways; else what sticks out, for the message.
    pub async fn sideways_overflow(&self) -> Option<String> {
        let report = self
            .js_string(
                "const d = document.documentElement; const w = d.clientWidth;
                 if (d.scrollWidth <= w) { return ''; }
                 const out = [];
                 for (const el of document.body.querySelectorAll('*')) {
                   const r = el.getBoundingClientRect();
                   if (r.right > w + 0.5 && r.width > 0) {
                     const kids = Array.from(el.children).some(c => c.getBoundingClientRect().right > w + 0.5);
                     if (!kids) out.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '') + ' right=' + Math.round(r.right) + ': ' + (el.textContent || '').slice(0, 60));
                   }
                 }
                 return 'scrollWidth ' + d.scrollWidth + ' > ' + w + '\\n' + out.slice(0, 10).join('\\n');",
            )
            .await;
        (!report.is_empty()).then_some(report)
    }

    /// Whether the first element matching `css` is wholly inside the viewport.
    pub async fn in_view(&self, css: &str) -> bool {
        let script = format!(
            "const el = document.querySelector({css:?}); if (!el) return 'missing';
             const r = el.getBoundingClientRect();
             return String(r.top >= -1 && r.left >= -1 && r.bottom <= window.innerHeight + 1 && r.right <= window.innerWidth + 1 && r.height > 0);"
        );
        self.js_string(&script).await == "true"
    }

    /// The focused element: `#id` when it has one, else its tag and text.
    pub async fn focused(&self) -> String {
        self.js_string(
            "const el = document.activeElement; if (!el) return 'none';
             return el.id ? '#' + el.id : el.tagName.toLowerCase() + ' ' + (el.textContent || '').trim().slice(0, 40);",
        )
        .await
    }

    /// Emulates the system's light or dark colour scheme (`prefers-color-scheme`).
    pub async fn color_scheme(&self, dark: bool) {
        let value = if dark { "dark" } else { "light" };
        self.client
            .issue_cmd(Cdp {
                cmd: "Emulation.setEmulatedMedia",
                params: serde_json::json!({
                    "features": [{ "name": "prefers-color-scheme", "value": value }]
                }),
            })
            .await
            .expect("chromedriver emulates the colour scheme");
        let seen = self
            .js_string(&format!(
                "return String(matchMedia('(prefers-color-scheme: {value})').matches)"
            ))
            .await;
        assert_eq!(seen, "true", "the page does not see {value}");
    }

    /// Runs axe-core (tests/e2e/axe, pinned in its package-lock.json) on the page as it is, and
    /// returns its serious and critical violations, one line each (WCAG 2 A/AA and best practice).
    pub async fn axe_serious(&self) -> Vec<String> {
        let source_path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("axe/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&source_path).unwrap_or_else(|e| {
            panic!(
                "no axe-core at {}: run `make setup` (npm ci in tests/e2e/axe): {e}",
                source_path.display()
            )
        });
        self.client
            .execute(&format!("{source}\n;return typeof axe;"), vec![])
            .await
            .expect("axe-core injects");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] }).then(r => done(JSON.stringify(
                   r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                     .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' (' + (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 160) + ')').join('; '))
                 ))).catch(e => done(JSON.stringify(['axe failed: ' + e])));",
                vec![],
            )
            .await
            .expect("axe-core runs");
        let text = result.as_str().unwrap_or("[]").to_string();
        serde_json::from_str(&text).unwrap_or_else(|_| vec![text])
    }

    /// Saves a PNG of the viewport.
    pub async fn screenshot_to(&self, path: &std::path::Path) {
        let png = self.client.screenshot().await.expect("a screenshot");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("the screenshot folder");
        }
        std::fs::write(path, png).expect("the screenshot is written");
    }

    /// Presses keys on whatever has the focus (WebDriver's element-less key actions).
    pub async fn keys(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("keyboard".to_string());
        for key in keys.chars() {
            actions = actions
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
        }
        self.client
            .perform_actions(actions)
            .await
            .expect("the keys are pressed");
    }

    /// Presses a chord, e.g. Control+Enter (`modifier` held while `key` is pressed).
    pub async fn chord(&self, modifier: char, key: char) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let actions = KeyActions::new("keyboard".to_string())
            .then(KeyAction::Down { value: modifier })
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key })
            .then(KeyAction::Up { value: modifier });
        self.client
            .perform_actions(actions)
            .await
            .expect("the chord is pressed");
    }
}
