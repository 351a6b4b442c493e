//! One chromedriver + headless Debian chromium session, started as tests/e2e does (same flags,
//! plus `--enable-precise-memory-info` so `performance.memory` is exact and current), with the
//! few helpers the measurements need: labelled form fields, in-page scripts, and chromedriver's
//! Chrome DevTools Protocol endpoint (early scripts, cache off, garbage collection).

use std::net::TcpListener;
use std::time::{Duration, Instant};

use fantoccini::wd::{TimeoutConfiguration, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use tokio::process::{Child, Command};

use crate::{Context, Res};

/// How long one expected page state may take before the bench gives up.
pub const WAIT: Duration = Duration::from_secs(20);

/// The chromium flags of tests/e2e/src/lib.rs, and the one the memory figures need.
pub const CHROMIUM_ARGS: [&str; 10] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    // Without it performance.memory is rounded and refreshed only every 20 minutes.
    "--enable-precise-memory-info",
];

pub struct Browser {
    pub client: Client,
    _driver: Child,
}

/// chromedriver's `POST /session/{id}/goog/cdp/execute`: one DevTools Protocol command
/// for the current window's page.
#[derive(Debug)]
struct Cdp {
    body: String,
}

impl WebDriverCompatibleCommand for Cdp {
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
        (http::Method::POST, Some(self.body.clone()))
    }
}

fn free_port() -> Res<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .context("no free port on 127.0.0.1")
}

impl Browser {
    pub async fn start() -> Res<Browser> {
        let port = free_port()?;
        let driver_path =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .context(&format!(
                "{driver_path} does not start (make setup installs it)"
            ))?;
        let caps = json!({
            "goog:chromeOptions": { "binary": "/usr/bin/chromium", "args": CHROMIUM_ARGS }
        });
        let Value::Object(caps) = caps else {
            return Err("capabilities are not an object".into());
        };
        let deadline = Instant::now() + WAIT;
        let client = loop {
            match ClientBuilder::new(HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => break client,
                Err(e) if Instant::now() > deadline => {
                    return Err(format!("cannot start a chromium session: {e}"));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        client
            .update_timeouts(TimeoutConfiguration::new(
                Some(Duration::from_secs(60)),
                Some(Duration::from_secs(60)),
                Some(Duration::from_secs(0)),
            ))
            .await
            .context("setting WebDriver timeouts")?;
        Ok(Browser {
            client,
            _driver: driver,
        })
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }

    /// One DevTools Protocol command for the current window's page; its result.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Res<Value> {
        let body = json!({ "cmd": cmd, "params": params }).to_string();
        self.client
            .issue_cmd(Cdp { body })
            .await
            .context(&format!("DevTools command {cmd}"))
    }

    /// Full garbage collections in the current page (before a heap reading): two, a moment
    /// apart, so objects released by finalizers after the first are gone too.
    pub async fn collect_garbage(&self) -> Res<()> {
        self.cdp("HeapProfiler.collectGarbage", json!({})).await?;
        tokio::time::sleep(Duration::from_millis(200)).await;
        self.cdp("HeapProfiler.collectGarbage", json!({})).await?;
        Ok(())
    }

    /// Runs a script (a function body; `arguments` are `args`) and returns its value.
    pub async fn js(&self, script: &str, args: Vec<Value>) -> Res<Value> {
        self.client
            .execute(script, args)
            .await
            .context("an in-page script failed")
    }

    /// Runs a script (a function body, no arguments) through DevTools `Runtime.evaluate` with
    /// `returnByValue` and returns its value. For readings repeated during a measurement: every
    /// WebDriver `execute` leaves its result string referenced by the page's DevTools session
    /// ("DevTools console" handles in a heap snapshot, ~350 bytes each, never released), so
    /// polling with [`js`](Self::js) grows the very JS heap it measures.
    pub async fn js_by_value(&self, script: &str) -> Res<Value> {
        let reply = self
            .cdp(
                "Runtime.evaluate",
                json!({ "expression": format!("(() => {{\n{script}\n}})()"), "returnByValue": true }),
            )
            .await?;
        if let Some(e) = reply.get("exceptionDetails") {
            return Err(format!("an in-page script failed: {e}"));
        }
        Ok(reply
            .pointer("/result/value")
            .cloned()
            .unwrap_or(Value::Null))
    }

    /// Runs an asynchronous script: it ends by calling `arguments[arguments.length - 1]`.
    pub async fn js_async(&self, script: &str, args: Vec<Value>) -> Res<Value> {
        self.client
            .execute_async(script, args)
            .await
            .context("an asynchronous in-page script failed")
    }

    pub async fn goto(&self, url: &str) -> Res<()> {
        self.client
            .goto(url)
            .await
            .context(&format!("opening {url}"))
    }

    /// Replaces the current window with a new one (same session): a page with no history, so
    /// nothing of earlier pages lingers in the back/forward cache and the JS heap.
    pub async fn fresh_window(&self) -> Res<()> {
        let old = self.client.window().await.context("reading the window")?;
        let new = self
            .client
            .new_window(false)
            .await
            .context("opening a window")?
            .handle;
        self.client
            .switch_to_window(old)
            .await
            .context("switching windows")?;
        self.client
            .close_window()
            .await
            .context("closing a window")?;
        self.client
            .switch_to_window(new)
            .await
            .context("switching windows")
    }

    /// Opens the app and waits until its form and panels are there.
    pub async fn open_app(&self, url: &str) -> Res<()> {
        self.goto(url).await?;
        self.client
            .wait()
            .at_most(WAIT)
            // The form, and every panel's wasm part loaded (src/ui/parts.rs): a Run measured while a
            // part still loads would time the part too.
            .for_element(Locator::Css(
                "main.layout:has(form.settings):not(:has(.part:not([data-state='loaded'])))",
            ))
            .await
            .context("the app did not mount, or a panel's part did not load")?;
        Ok(())
    }

    /// Replaces the text of the control a visible `<label for>` names.
    pub async fn fill(&self, label: &str, value: &str) -> Res<()> {
        let label_el = self
            .client
            .find(Locator::XPath(&format!(
                "//label[normalize-space()='{label}']"
            )))
            .await
            .context(&format!("no label \"{label}\""))?;
        let id = label_el
            .attr("for")
            .await
            .context("reading a label")?
            .ok_or_else(|| format!("label \"{label}\" has no for="))?;
        let input = self
            .client
            .find(Locator::Id(&id))
            .await
            .context(&format!("label \"{label}\" points at a missing #{id}"))?;
        input.clear().await.context("clearing a field")?;
        input
            .send_keys(value)
            .await
            .context("typing into a field")?;
        Ok(())
    }

    /// Clicks the button with this visible name (a WebDriver click, for set-up steps).
    pub async fn click(&self, name: &str) -> Res<()> {
        self.client
            .find(Locator::XPath(&format!(
                "//button[normalize-space()='{name}']"
            )))
            .await
            .context(&format!("no button \"{name}\""))?
            .click()
            .await
            .context(&format!("clicking \"{name}\""))
    }

    /// Waits until the first element matching `css` contains `needle`.
    pub async fn wait_text(&self, css: &str, needle: &str) -> Res<String> {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = self
                .js(
                    "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
                    vec![json!(css)],
                )
                .await?;
            let text = text.as_str().unwrap_or_default().to_string();
            if text.contains(needle) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "\"{css}\" never contained \"{needle}\"; it says: {}",
                    text.chars().take(400).collect::<String>()
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// The result panel under the heading with this id (as tests/e2e selects them).
pub fn panel(heading_id: &str) -> String {
    format!("section[aria-labelledby='{heading_id}']")
}
