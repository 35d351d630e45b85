//! The end-to-end harness: the real server in-process (its own fresh database, seeded with
//! the demo data), the release SPA it serves from `NOVATALKS_DIST`, and headless Chromium
//! driven over WebDriver by the system chromedriver.
//!
//! ```no_run
//! # async fn demo() -> novatalks_e2e::Result<()> {
//! let app = novatalks_e2e::App::start().await?;
//! app.sign_in_as_demo_agent().await?;
//! let rows = app.browser.wait_for_all("[data-testid=contact-row]").await?;
//! app.close().await
//! # }
//! ```

use std::future::Future;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use novatalks_server::{seed, RunningServer, ServerConfig};
use tempfile::TempDir;

pub type Error = Box<dyn std::error::Error + Send + Sync>;
mod page_api;
pub mod wasm_size;

pub use page_api::empty;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How long a wait may take before the test fails: generous, because it only catches
/// what never happens (tests must not depend on how fast a machine is).
pub const WAIT_TIMEOUT: Duration = Duration::from_secs(30);
const POLL_EVERY: Duration = Duration::from_millis(100);

/// The repository root (the workspace), two levels above this crate.
pub fn workspace_root() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir
        .ancestors()
        .nth(2)
        .unwrap_or(crate_dir)
        .to_path_buf()
}

/// The built SPA: `$NOVATALKS_DIST`, or dist/ at the repository root. It must exist; a
/// suite that silently skipped without it would pass having tested nothing.
pub fn dist_dir() -> Result<PathBuf> {
    let dist = std::env::var_os("NOVATALKS_DIST")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("dist"));
    if dist.join("index.html").is_file() {
        Ok(dist)
    } else {
        Err(format!(
            "the built SPA is missing: {} has no index.html. Build it first with \
             `cargo xtask dist` at the repository root (`cargo xtask test` \
             does), or point NOVATALKS_DIST at a built dist/",
            dist.display()
        )
        .into())
    }
}

/// The workspace's target/ (CARGO_TARGET_DIR respected).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// Where screenshots go: target/e2e/.
pub fn artifacts_dir() -> PathBuf {
    target_dir().join("e2e")
}

/// One test's world: a server with its own database, and a browser of its own.
pub struct App {
    server: RunningServer,
    pub browser: Browser,
    _data_dir: TempDir,
}

impl App {
    pub async fn start() -> Result<App> {
        App::start_with(|_| ()).await
    }

    /// Like [`App::start`], with the server's configuration changed first: a port chosen
    /// beforehand, the dashboard origins allowed to call the API…
    pub async fn start_with(configure: impl FnOnce(&mut ServerConfig)) -> Result<App> {
        App::launch(configure, None).await
    }

    /// Like [`App::start_with`], with the browser in the IANA time zone `zone` (`TZ` of
    /// chromedriver and so of Chromium) rather than the machine's.
    pub async fn start_in_time_zone(
        zone: &str,
        configure: impl FnOnce(&mut ServerConfig),
    ) -> Result<App> {
        App::launch(configure, Some(zone)).await
    }

    async fn launch(
        configure: impl FnOnce(&mut ServerConfig),
        time_zone: Option<&str>,
    ) -> Result<App> {
        let dist = dist_dir()?;
        let data_dir = tempfile::Builder::new()
            .prefix("novatalks-e2e-")
            .tempdir()?;
        let mut config = ServerConfig::for_tests(data_dir.path(), dist);
        configure(&mut config);
        let server = novatalks_server::start(config).await?;
        let browser = match Browser::start_in(time_zone).await {
            Ok(browser) => browser,
            Err(e) => {
                let _ = server.stop().await;
                return Err(e);
            }
        };
        Ok(App {
            server,
            browser,
            _data_dir: data_dir,
        })
    }

    /// An absolute URL on the server: `app.url("/sign-in")`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    /// Fills and submits the sign-in form; does not wait for what follows.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<()> {
        let browser = &self.browser;
        browser.client.goto(&self.url("/sign-in")).await?;
        browser
            .wait_for("input[name=email]")
            .await?
            .send_keys(email)
            .await?;
        browser
            .wait_for("input[name=password]")
            .await?
            .send_keys(password)
            .await?;
        browser
            .wait_for("button[type=submit]")
            .await?
            .click()
            .await?;
        Ok(())
    }

    pub async fn sign_in_as_demo_agent(&self) -> Result<()> {
        self.sign_in(seed::DEMO_AGENT_EMAIL, seed::DEMO_PASSWORD)
            .await
    }

    /// Ends the browser session and stops the server. (Dropped instead, after a failure,
    /// the browser is closed as chromedriver is ended, and the server task ends with the
    /// test's runtime.)
    pub async fn close(self) -> Result<()> {
        let App {
            server, browser, ..
        } = self;
        let closed = browser.close().await;
        server.stop().await?;
        closed
    }
}

/// Headless Chromium behind a chromedriver of its own, on a free port. Dropped, it kills
/// chromedriver and every browser process it started.
pub struct Browser {
    pub client: Client,
    driver: Driver,
    _profile: TempDir,
}

impl Browser {
    /// Starts `$CHROMEDRIVER` (default /usr/bin/chromedriver) for `$CHROMIUM` (default
    /// /usr/bin/chromium).
    pub async fn start() -> Result<Browser> {
        Browser::start_in(None).await
    }

    /// The same, Chromium in the IANA time zone `time_zone` when one is given.
    pub async fn start_in(time_zone: Option<&str>) -> Result<Browser> {
        let driver_path = env_or("CHROMEDRIVER", "/usr/bin/chromedriver");
        let chromium = env_or("CHROMIUM", "/usr/bin/chromium");
        for (what, path) in [("CHROMEDRIVER", &driver_path), ("CHROMIUM", &chromium)] {
            if !path.is_file() {
                return Err(format!(
                    "{what}: {} does not exist (install Debian's chromium and chromium-driver; \
                     `cargo xtask test` does)",
                    path.display()
                )
                .into());
            }
        }
        let port = free_port()?;
        let mut command = Command::new(&driver_path);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        if let Some(zone) = time_zone {
            command.env("TZ", zone);
        }
        // Its own process group, so that Drop can end the browsers it started too.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let process = command
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", driver_path.display()))?;
        let mut driver = Driver {
            process,
            port,
            session: None,
        };
        driver.wait_until_listening().await?;
        let profile = tempfile::Builder::new()
            .prefix("novatalks-e2e-chromium-")
            .tempdir()?;
        std::fs::create_dir_all(profile.path().join(DOWNLOADS))?;
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(chrome_capabilities(&chromium, profile.path()))
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .map_err(|e| format!("chromedriver could not start {}: {e}", chromium.display()))?;
        driver.session = client.session_id().await?;
        Ok(Browser {
            client,
            driver,
            _profile: profile,
        })
    }

    /// Polls until `check` yields a value; fails after [`WAIT_TIMEOUT`] with `what` and
    /// where the browser was.
    pub async fn wait_until<T, F, Fut>(&self, what: &str, mut check: F) -> Result<T>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Option<T>>>,
    {
        let deadline = Instant::now() + WAIT_TIMEOUT;
        loop {
            if let Some(value) = check().await? {
                return Ok(value);
            }
            if Instant::now() >= deadline {
                return Err(self.timed_out(what).await);
            }
            tokio::time::sleep(POLL_EVERY).await;
        }
    }

    /// Every element matching `css`, once there is at least one.
    pub async fn wait_for_all(&self, css: &str) -> Result<Vec<Element>> {
        self.wait_until(&format!("`{css}` to appear"), || async {
            let found = self.client.find_all(Locator::Css(css)).await?;
            Ok((!found.is_empty()).then_some(found))
        })
        .await
    }

    /// The first element matching `css`, once there is one.
    pub async fn wait_for(&self, css: &str) -> Result<Element> {
        let mut all = self.wait_for_all(css).await?;
        Ok(all.swap_remove(0))
    }

    /// The text of the first element matching `css`, or None while there is none (or it
    /// was re-rendered between finding and reading it).
    pub async fn text_of(&self, css: &str) -> Result<Option<String>> {
        let Some(element) = self
            .client
            .find_all(Locator::Css(css))
            .await?
            .into_iter()
            .next()
        else {
            return Ok(None);
        };
        match element.text().await {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.is_stale_element_reference() => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Saves a PNG of the window to target/e2e/`name`.png and returns its path.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self.client.screenshot().await?;
        let dir = artifacts_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// Where the browser saves downloads (a folder of its own profile, empty at start).
    pub fn downloads_dir(&self) -> PathBuf {
        self._profile.path().join(DOWNLOADS)
    }

    /// The first file the browser has finished downloading into [`Self::downloads_dir`]
    /// whose name ends with `suffix`, once there is one.
    pub async fn wait_for_download(&self, suffix: &str) -> Result<PathBuf> {
        let dir = self.downloads_dir();
        self.wait_until(
            &format!("a downloaded *{suffix} in {}", dir.display()),
            || {
                let dir = dir.clone();
                async move {
                    let found = std::fs::read_dir(&dir)?
                        .filter_map(|entry| entry.ok().map(|e| e.path()))
                        .find(|path| path.to_string_lossy().ends_with(suffix));
                    Ok(found)
                }
            },
        )
        .await
    }

    /// Sends a Chrome DevTools Protocol command (`Network.emulateNetworkConditions`…)
    /// through chromedriver's `goog/cdp/execute`, and answers its result.
    pub async fn cdp(&self, command: &str, params: serde_json::Value) -> Result<serde_json::Value> {
        let answer = self
            .client
            .issue_cmd(Cdp {
                command: command.to_string(),
                params,
            })
            .await
            .map_err(|e| format!("CDP {command}: {e}"))?;
        Ok(answer)
    }

    /// The path of the page shown now, e.g. `/sign-in`.
    pub async fn path(&self) -> Result<String> {
        Ok(self.client.current_url().await?.path().to_string())
    }

    /// Ends the WebDriver session, which quits Chromium, then chromedriver.
    pub async fn close(mut self) -> Result<()> {
        self.driver.session = None;
        self.client.close().await?;
        Ok(())
    }

    async fn timed_out(&self, what: &str) -> Error {
        let url = match self.client.current_url().await {
            Ok(url) => url.to_string(),
            Err(e) => format!("unknown ({e})"),
        };
        let body = match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        let body: String = body.chars().take(600).collect();
        let shot = self
            .screenshot("timeout")
            .await
            .map(|p| p.display().to_string())
            .unwrap_or_else(|e| format!("none ({e})"));
        format!(
            "waited {}s for {what}, in vain. The browser is at {url}; screenshot: {shot}; \
             the page reads:\n{body}",
            WAIT_TIMEOUT.as_secs()
        )
        .into()
    }
}

/// chromedriver's extension command that runs one DevTools Protocol command in the page's
/// target: `POST /session/{id}/goog/cdp/execute {"cmd", "params"}`.
#[derive(Debug)]
struct Cdp {
    command: String,
    params: serde_json::Value,
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
        let body = serde_json::json!({ "cmd": self.command, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

/// A running chromedriver, leader of its own process group, and the session it serves.
struct Driver {
    process: Child,
    port: u16,
    /// Set once the session is open, cleared once it is closed.
    session: Option<String>,
}

impl Driver {
    async fn wait_until_listening(&mut self) -> Result<()> {
        let deadline = Instant::now() + WAIT_TIMEOUT;
        loop {
            if let Some(status) = self.process.try_wait()? {
                return Err(format!("chromedriver exited at start ({status})").into());
            }
            if TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                let port = self.port;
                return Err(format!("chromedriver did not listen on port {port}").into());
            }
            tokio::time::sleep(POLL_EVERY).await;
        }
    }

    /// `DELETE /session/{id}`, in plain blocking HTTP (Drop cannot await): chromedriver
    /// quits Chromium, which ends its own child processes and reaps them.
    fn delete_session(&self, session: &str) -> std::io::Result<()> {
        let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        write!(
            stream,
            "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\
             Content-Length: 0\r\nConnection: close\r\n\r\n",
            self.port
        )?;
        // The answer comes once the browser has quit.
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer)?;
        Ok(())
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // A test that failed never closed its session: close it, or Chromium outlives us.
        if let Some(session) = self.session.take() {
            let _ = self.delete_session(&session);
        }
        // Then end chromedriver's whole group, so nothing it started can linger.
        #[cfg(unix)]
        if let Ok(pid) = i32::try_from(self.process.id()) {
            // SAFETY: kill(2) on the process group we created; no memory is involved.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// The largest number written in `text`, digit groups joined: "1–15 of 2,000" → 2000.
pub fn largest_number(text: &str) -> Option<u64> {
    let mut numbers = Vec::new();
    let mut digits = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let joins_groups = [',', '\u{a0}', '\u{202f}'].contains(&c)
            && !digits.is_empty()
            && chars.peek().is_some_and(char::is_ascii_digit);
        if !joins_groups && !digits.is_empty() {
            numbers.push(std::mem::take(&mut digits));
        }
    }
    numbers.push(digits);
    numbers.iter().filter_map(|n| n.parse().ok()).max()
}

fn env_or(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// A loopback port free right now (for a server that must know its port beforehand).
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?
        .local_addr()?
        .port())
}

/// The folder of the profile downloads go to.
const DOWNLOADS: &str = "downloads";

/// Headless, and quiet: no sandbox (CI runs as root), no GPU, no first-run UI, no calls
/// home, a profile of its own.
fn chrome_capabilities(
    chromium: &Path,
    profile: &Path,
) -> serde_json::Map<String, serde_json::Value> {
    let args = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,900",
    ]
    .map(String::from)
    .into_iter()
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect::<Vec<_>>();
    let capabilities = serde_json::json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": chromium,
            "args": args,
            // Downloads land in the profile, without asking (the export test reads them).
            "prefs": {
                "download.default_directory": profile.join(DOWNLOADS),
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
            },
        },
    });
    match capabilities {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// The part `part` (a `data-testid`) of the filter builder's condition row at `index`.
pub fn filter_row_part(index: usize, part: &str) -> String {
    format!("[data-testid=filter-row][data-index='{index}'] [data-testid={part}]")
}

/// Picks `value` in the `<select>` matching `css`, once it is there.
pub async fn choose(app: &App, css: &str, value: &str) -> Result<()> {
    app.browser
        .wait_for(css)
        .await?
        .select_by_value(value)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_counts_as_people_write_them() {
        assert_eq!(largest_number("2,000 contacts"), Some(2000));
        assert_eq!(largest_number("1–15 of 2,013"), Some(2013));
        assert_eq!(largest_number("2\u{202f}000 contacts"), Some(2000));
        assert_eq!(largest_number("42"), Some(42));
        assert_eq!(largest_number("no contacts"), None);
    }
}
