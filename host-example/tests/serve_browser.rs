//! `punchout serve` clicked through in real headless Chromium (Debian's `chromium` and
//! `chromium-driver`, which `cargo xtask test` installs), driven over WebDriver by fantoccini:
//! OCI 4.0 in Latin-1 and 5.0 in UTF-8, cXML create, edit and inspect, a shop in a frame, Peppol,
//! the purchase order with changes and its reconciliation, and broken carts whose verdict names
//! the problem and its place.
//!
//! One server (the component engine, a fresh SQLite file) and one browser session serve every
//! journey, run one after the other in one test; each journey's failure is reported by name and
//! the others still run. Screenshots of each journey's last page are kept in
//! `target/serve-screenshots/`; `UPDATE_SCREENSHOTS=1` also writes the received-cart and
//! reconciliation pages to `docs/`.

use std::future::Future;
use std::io::{BufRead as _, BufReader};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, ensure, Context as _};
use fantoccini::{Client, ClientBuilder, Locator};

mod common;

/// A child process in its own process group, killed with its children when dropped.
struct Spawned {
    child: Child,
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(command: &mut Command) -> anyhow::Result<Spawned> {
    let child = command
        .process_group(0)
        .spawn()
        .with_context(|| format!("cannot start {command:?}"))?;
    Ok(Spawned { child })
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn screenshots_dir() -> PathBuf {
    workspace().join("target/serve-screenshots")
}

fn spec_dir() -> PathBuf {
    let dir = std::env::var_os("PUNCHOUT_SPEC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/spec"));
    assert!(
        dir.join("cxml").is_dir(),
        "the specification folder `{}` is missing: set PUNCHOUT_SPEC_DIR (cargo xtask test does)",
        dir.display()
    );
    dir
}

/// `punchout serve` on a free port with a fresh SQLite file; the URL is its first stdout line.
fn start_server() -> anyhow::Result<(Spawned, String, PathBuf)> {
    let database = std::env::temp_dir().join(format!(
        "punchout-serve-browser-{}.sqlite",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&database);
    let mut server = spawn(
        Command::new(env!("CARGO_BIN_EXE_punchout"))
            .arg("--component")
            .arg(common::component())
            .args(["serve", "--listen", "127.0.0.1:0", "--database"])
            .arg(&database)
            .arg("--spec-dir")
            .arg(spec_dir())
            .stdout(Stdio::piped()),
    )?;
    let stdout = server.child.stdout.take().context("the server's stdout")?;
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .context("reading the server's URL")?;
    let url = first.trim().to_owned();
    ensure!(
        url.starts_with("http://127.0.0.1:"),
        "the server printed `{url}`, expected its URL"
    );
    Ok((server, url, database))
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// chromedriver on a free port, and a headless Chromium session with a fresh profile.
async fn start_browser() -> anyhow::Result<(Spawned, Client, PathBuf)> {
    let port = free_port()?;
    let driver = spawn(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    )
    .context(
        "chromedriver is missing: install Debian's `chromium-driver` (cargo xtask test does)",
    )?;
    let profile = std::env::temp_dir().join(format!("punchout-chromium-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let webdriver = format!("http://127.0.0.1:{port}");
    let mut last = None;
    for _ in 0..100 {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(capabilities.clone())
            .connect(&webdriver)
            .await
        {
            Ok(client) => return Ok((driver, client, profile)),
            Err(error) => last = Some(error),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("no WebDriver session from chromedriver: {last:?}")
}

/// What every journey uses.
struct Session {
    browser: Client,
    base: String,
}

type Journey = for<'a> fn(&'a Session) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + 'a>>;

impl Session {
    async fn open(&self, path: &str) -> anyhow::Result<()> {
        self.browser.goto(&format!("{}{path}", self.base)).await?;
        Ok(())
    }

    async fn click(&self, css: &str) -> anyhow::Result<()> {
        self.wait_for(css)
            .await?
            .click()
            .await
            .with_context(|| format!("clicking `{css}`"))?;
        Ok(())
    }

    /// Clicks what submits a form or follows a link, and waits until the page it was on is
    /// gone, so that the next step never reads the old page.
    async fn click_to_leave(&self, css: &str) -> anyhow::Result<()> {
        let old = self.browser.find(Locator::Css("html")).await?;
        self.click(css).await?;
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while old.tag_name().await.is_ok() {
            ensure!(
                std::time::Instant::now() < deadline,
                "clicking `{css}` left {} in place",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        Ok(())
    }

    /// Waits for an element (pages that submit themselves take a moment).
    async fn wait_for(&self, css: &str) -> anyhow::Result<fantoccini::elements::Element> {
        match self
            .browser
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => Ok(element),
            Err(error) => {
                let url = self.url().await;
                Err(anyhow::Error::new(error).context(format!("no `{css}` on {url} after waiting")))
            }
        }
    }

    async fn text(&self, css: &str) -> anyhow::Result<String> {
        Ok(self.wait_for(css).await?.text().await?)
    }

    async fn set(&self, css: &str, value: &str) -> anyhow::Result<()> {
        let field = self.wait_for(css).await?;
        field.clear().await?;
        field.send_keys(value).await?;
        Ok(())
    }

    async fn url(&self) -> String {
        self.browser
            .current_url()
            .await
            .map_or_else(|_| "?".to_owned(), |url| url.to_string())
    }

    async fn screenshot(&self, name: &str) -> anyhow::Result<PathBuf> {
        let png = self.browser.screenshot().await?;
        let dir = screenshots_dir();
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// The docs' screenshot, rewritten with `UPDATE_SCREENSHOTS=1`.
    async fn docs_screenshot(&self, name: &str) -> anyhow::Result<()> {
        // Tall enough for the whole page.
        self.browser.set_window_size(1280, 1500).await?;
        let kept = self.screenshot(name).await;
        self.browser.set_window_size(1280, 1000).await?;
        let kept = kept?;
        if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
            std::fs::copy(&kept, workspace().join("docs").join(format!("{name}.png")))?;
        }
        Ok(())
    }

    /// Punches out from a preset on the home page, and waits for the shop's catalog.
    async fn punch_out(&self, preset: &str, charset: Option<&str>) -> anyhow::Result<()> {
        self.open("/").await?;
        self.wait_for(&format!("#preset-{preset}")).await?;
        self.screenshot("home").await?;
        if let Some(charset) = charset {
            self.wait_for(&format!("#preset-{preset} select[name=charset]"))
                .await?
                .select_by_value(charset)
                .await?;
        }
        self.click_to_leave(&format!("#preset-{preset} button[type=submit]"))
            .await?;
        self.wait_for("#transfer").await?;
        Ok(())
    }

    async fn add(&self, sku: &str, quantity: &str) -> anyhow::Result<()> {
        self.set(&format!("#quantity-{sku}"), quantity).await?;
        self.click_to_leave(&format!("#add-{sku}")).await?;
        self.wait_for("#cart-table").await?;
        Ok(())
    }

    /// Transfers the cart (with a deliberate defect when `fault` is not empty) and waits for the
    /// buyer's received-cart page.
    async fn transfer(&self, fault: &str) -> anyhow::Result<()> {
        if !fault.is_empty() {
            self.click(".transfer summary").await?;
            self.wait_for("#fault")
                .await?
                .select_by_value(fault)
                .await?;
        }
        self.click_to_leave("#transfer").await?;
        self.wait_for("#verdict").await?;
        Ok(())
    }

    async fn verdict(&self) -> anyhow::Result<String> {
        self.text("#verdict").await
    }

    /// The received lines as their cells' text, row by row.
    async fn lines(&self) -> anyhow::Result<Vec<Vec<String>>> {
        let mut rows = Vec::new();
        for row in self
            .browser
            .find_all(Locator::Css("#lines tbody tr"))
            .await?
        {
            let mut cells = Vec::new();
            for cell in row.find_all(Locator::Css("td")).await? {
                let input = cell.find_all(Locator::Css("input[type=text]")).await?;
                cells.push(match input.first() {
                    Some(input) => input.prop("value").await?.unwrap_or_default(),
                    None => cell.text().await?,
                });
            }
            rows.push(cells);
        }
        Ok(rows)
    }

    /// Every finding as `severity message at location`, from the checks table.
    async fn findings(&self) -> anyhow::Result<Vec<String>> {
        let mut found = Vec::new();
        for finding in self
            .browser
            .find_all(Locator::Css("#checks .finding"))
            .await?
        {
            found.push(finding.text().await?);
        }
        Ok(found)
    }

    /// The outcome of a named check.
    async fn check(&self, name: &str) -> anyhow::Result<String> {
        for row in self
            .browser
            .find_all(Locator::Css("#checks tbody tr"))
            .await?
        {
            let heading = row.find_all(Locator::Css("th")).await?;
            let Some(heading) = heading.first() else {
                continue;
            };
            if heading.text().await? == name {
                return Ok(row.find(Locator::Css(".outcome")).await?.text().await?);
            }
        }
        let names = self.text("#checks").await.unwrap_or_default();
        bail!("no check `{name}` on the page; the checks: {names}")
    }
}

fn cell(rows: &[Vec<String>], row: usize, column: usize) -> &str {
    rows.get(row)
        .and_then(|cells| cells.get(column))
        .map_or("", String::as_str)
}

// Columns of the received lines: #, part, reference, description, quantity, unit, price,
// amount, drop.
const PART: usize = 1;
const DESCRIPTION: usize = 3;
const QUANTITY: usize = 4;
const UNIT: usize = 5;
const PRICE: usize = 6;

fn oci_sap_srm_latin1(session: &Session) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + '_>> {
    Box::pin(async move {
        session
            .punch_out("sap-srm-oci40", Some("iso-8859-1"))
            .await?;
        session.add("ABC-123", "3").await?;
        session.add("TON-9000", "1").await?;
        ensure!(
            session.text("#cart-total").await? == "102.50 EUR",
            "cart total {}",
            session.text("#cart-total").await?
        );
        session.transfer("").await?;
        let rows = session.lines().await?;
        ensure!(rows.len() == 2, "expected 2 lines, got {rows:?}");
        ensure!(cell(&rows, 0, QUANTITY) == "3", "line 1: {:?}", rows[0]);
        // `²` travels as the Latin-1 byte 0xB2 and reads back as `²`.
        ensure!(
            cell(&rows, 0, DESCRIPTION).contains("g/m²"),
            "line 1's description lost its Latin-1 letter: {:?}",
            rows[0]
        );
        let verdict = session.verdict().await?;
        ensure!(verdict.contains("takes this cart"), "verdict: {verdict}");
        session.screenshot("oci-40-latin1-received").await?;
        Ok(())
    })
}

fn oci_50_utf8(session: &Session) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + '_>> {
    Box::pin(async move {
        session.punch_out("sap-srm-oci50", Some("utf-8")).await?;
        session.add("PEN-BL-10", "4").await?;
        session.transfer("").await?;
        let rows = session.lines().await?;
        ensure!(rows.len() == 1, "expected 1 line, got {rows:?}");
        ensure!(cell(&rows, 0, QUANTITY) == "4", "line 1: {:?}", rows[0]);
        ensure!(
            session.verdict().await?.contains("takes this cart"),
            "verdict: {}",
            session.verdict().await?
        );
        session.screenshot("oci-50-utf8-received").await?;
        Ok(())
    })
}

fn cxml_create_edit_inspect_and_order(
    session: &Session,
) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + '_>> {
    Box::pin(async move {
        // Create: the setup request goes server to server; the browser follows the StartPage.
        session.punch_out("sap-ariba", None).await?;
        session.add("ABC-123", "10").await?;
        session.add("TON-9000", "2").await?;
        session.add("PEN-BL-10", "5").await?;
        session.transfer("").await?;
        let rows = session.lines().await?;
        ensure!(rows.len() == 3, "expected 3 lines, got {rows:?}");
        ensure!(
            [
                cell(&rows, 0, PART),
                cell(&rows, 1, PART),
                cell(&rows, 2, PART)
            ] == ["ABC-123", "TON-9000", "PEN-BL-10"],
            "parts: {rows:?}"
        );
        // The profile maps the shop's PCE to EA.
        ensure!(cell(&rows, 1, UNIT) == "EA", "line 2's unit: {:?}", rows[1]);
        // Markup in a description is text on every page, never markup.
        ensure!(
            cell(&rows, 1, DESCRIPTION)
                == "Toner cartridge black for LaserPro 9000 \"high yield\" & <long life>",
            "line 2's description: {:?}",
            rows[1]
        );
        ensure!(
            session.verdict().await?.contains("takes this cart"),
            "verdict: {}",
            session.verdict().await?
        );
        ensure!(
            session.check("cXML DTD").await? == "passed",
            "DTD check: {}",
            session.check("cXML DTD").await?
        );
        session.docs_screenshot("serve-received-cart").await?;

        // Edit: the cart reopened in the shop with its lines, one quantity changed.
        session.click_to_leave("#reopen-edit").await?;
        session.wait_for("#cart-table").await?;
        let quantity = session
            .wait_for("input[name=quantity-0]")
            .await?
            .prop("value")
            .await?;
        ensure!(
            quantity.as_deref() == Some("10"),
            "the edited cart's first quantity: {quantity:?}"
        );
        session.set("input[name=quantity-0]", "12").await?;
        session.click_to_leave("#update-cart").await?;
        session.wait_for("#cart-table").await?;
        session.transfer("").await?;
        let rows = session.lines().await?;
        ensure!(cell(&rows, 0, QUANTITY) == "12", "edited line 1: {rows:?}");

        // Inspect: the cart shown read-only.
        session.click_to_leave("#reopen-inspect").await?;
        session.wait_for("#read-only").await?;
        ensure!(
            session
                .browser
                .find_all(Locator::Css("#add-ABC-123"))
                .await?
                .is_empty(),
            "an inspected cart offers products to add"
        );
        session.screenshot("cxml-inspect").await?;
        session.transfer("").await?;

        // Approve with changes: line 1 quantity up, line 2 price down, line 3 dropped, shipping.
        session.set("#quantity-1", "15").await?;
        session.set("#price-2", "80.91").await?;
        session.click("#drop-3").await?;
        session.set("#shipping", "5.00").await?;
        session.click_to_leave("#send-order").await?;
        let answer = session.text("#shop-answer").await?;
        ensure!(
            answer.contains("HTTP 200") && answer.contains("code=\"200\""),
            "the shop's answer: {answer}"
        );
        // The profile's rules accept the quantity and price changes; shipping the cart did not
        // have puts the order on hold for review.
        let verdict = session.text("#reconciliation-verdict").await?;
        ensure!(verdict.starts_with("HOLD"), "reconciliation: {verdict}");
        let header = session.text("#reconciliation-header").await?;
        ensure!(
            header.contains("shipping none in the cart, 5.00 EUR in the order"),
            "header findings: {header}"
        );
        let outcomes: Vec<String> = {
            let mut found = Vec::new();
            for outcome in session
                .browser
                .find_all(Locator::Css("#reconciliation .line-outcome"))
                .await?
            {
                found.push(outcome.text().await?);
            }
            found
        };
        ensure!(
            outcomes == ["changed", "changed", "dropped"],
            "line outcomes: {outcomes:?}"
        );
        ensure!(
            session.text("#reconciled-shipping").await? == "5.00 EUR",
            "shipping: {}",
            session.text("#reconciled-shipping").await?
        );
        session.docs_screenshot("serve-reconciliation").await?;

        // The same purchase order sent again, as a system retries after a timeout: the shop
        // answers as before and records it once.
        let order_id = session
            .text("h1")
            .await?
            .trim_start_matches("Purchase order ")
            .to_owned();
        session.click_to_leave("#resend-order").await?;
        let answer = session.text("#shop-answer").await?;
        ensure!(
            answer.contains("code=\"200\""),
            "the resent order's answer: {answer}"
        );
        // Approved again with other changes under the same order ID: a conflict, refused.
        session.click_to_leave("#back-to-cart").await?;
        session.wait_for("#send-order").await?;
        session.set("#quantity-1", "16").await?;
        session.click_to_leave("#send-order").await?;
        let answer = session.text("#shop-answer").await?;
        ensure!(
            answer.contains("code=\"400\"") && answer.contains(&order_id),
            "a conflicting order's answer: {answer}"
        );
        session.open("/shop/orders").await?;
        let mut rows = 0;
        for row in session
            .browser
            .find_all(Locator::Css("#orders tbody tr"))
            .await?
        {
            if row.text().await?.contains(&order_id) {
                rows += 1;
            }
        }
        ensure!(
            rows == 1,
            "order `{order_id}` is listed {rows} times by the shop"
        );
        Ok(())
    })
}

fn coupa_in_a_cross_site_frame(
    session: &Session,
) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + '_>> {
    Box::pin(async move {
        // The procurement page on `localhost`, the shop (its StartPage) on `127.0.0.1`: another
        // site, so the shop in the frame gets no cookies; its session is in its URLs.
        let cross_site = session.base.replace("127.0.0.1", "localhost");
        session.browser.goto(&format!("{cross_site}/")).await?;
        session
            .wait_for("#preset-coupa select[name=window]")
            .await?
            .select_by_value("frame")
            .await?;
        session
            .click_to_leave("#preset-coupa button[type=submit]")
            .await?;
        let frame = session.wait_for("#catalog-frame").await?;
        let src = frame.attr("src").await?.unwrap_or_default();
        ensure!(
            src.starts_with(&session.base),
            "the frame shows `{src}`, not the shop"
        );
        frame.enter_frame().await?;
        session.add("TON-9000", "1").await?;
        session.click_to_leave("#transfer").await?;
        // The cart form posts to the top window or within the frame: either way the buyer's
        // page shows the cart.
        session.browser.enter_parent_frame().await.ok();
        let found = session
            .browser
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Css("#verdict, #catalog-frame"))
            .await?;
        if found.attr("id").await?.as_deref() == Some("catalog-frame") {
            found.enter_frame().await?;
        }
        let rows = session.lines().await?;
        ensure!(
            rows.len() == 1 && cell(&rows, 0, PART) == "TON-9000",
            "lines: {rows:?}"
        );
        ensure!(
            session.verdict().await?.contains("takes this cart"),
            "verdict: {}",
            session.verdict().await?
        );
        session.screenshot("coupa-frame-received").await?;
        Ok(())
    })
}

fn oci_in_a_popup(session: &Session) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + '_>> {
    Box::pin(async move {
        session.open("/").await?;
        session
            .wait_for("#preset-sap-srm-oci50 select[name=window]")
            .await?
            .select_by_value("popup")
            .await?;
        session
            .click_to_leave("#preset-sap-srm-oci50 button[type=submit]")
            .await?;
        let opener = session.browser.window().await?;
        session.click("#open-catalog").await?;
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let popup = loop {
            let windows = session.browser.windows().await?;
            if let Some(popup) = windows.into_iter().find(|window| *window != opener) {
                break popup;
            }
            ensure!(std::time::Instant::now() < deadline, "no window opened");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        session.browser.switch_to_window(popup).await?;
        let result = async {
            session.wait_for("#transfer").await?;
            session.add("TON-9000", "2").await?;
            session.transfer("").await?;
            let rows = session.lines().await?;
            ensure!(
                rows.len() == 1 && cell(&rows, 0, QUANTITY) == "2",
                "lines in the popup: {rows:?}"
            );
            session.screenshot("oci-popup-received").await?;
            Ok(())
        }
        .await;
        session.browser.close_window().await?;
        session.browser.switch_to_window(opener).await?;
        result
    })
}

fn peppol_cart_and_order(
    session: &Session,
) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + '_>> {
    Box::pin(async move {
        session.punch_out("peppol-buyer", None).await?;
        session.add("ABC-123", "2").await?;
        session.add("TON-9000", "3").await?;
        session.transfer("").await?;
        let rows = session.lines().await?;
        ensure!(rows.len() == 2, "expected 2 lines, got {rows:?}");
        ensure!(
            cell(&rows, 0, PRICE) == "4.20",
            "line 1's price: {:?}",
            rows[0]
        );
        ensure!(
            session.verdict().await?.contains("takes this cart"),
            "verdict: {}",
            session.verdict().await?
        );
        session.screenshot("peppol-received").await?;
        // Fewer of line 2 and a lower price for line 1: both accepted by the default rules.
        session.set("#quantity-2", "2").await?;
        session.set("#price-1", "4.00").await?;
        session.click_to_leave("#send-order").await?;
        let answer = session.text("#shop-answer").await?;
        ensure!(
            answer.contains("HTTP 200") && answer.contains("OrderResponse"),
            "the shop's answer: {answer}"
        );
        let verdict = session.text("#reconciliation-verdict").await?;
        ensure!(
            verdict.starts_with("ACCEPT WITH CHANGES"),
            "reconciliation: {verdict}"
        );
        // The buyer's own changes accepted: `AP` (`CA` is for changes the seller makes).
        ensure!(
            answer.contains("<cbc:OrderResponseCode>AP</cbc:OrderResponseCode>"),
            "the Order Response does not accept the order: {answer}"
        );
        session.screenshot("peppol-reconciliation").await?;

        // More than the cart had: the default rules hold the order for review, which no T76
        // answers yet: received with 202.
        session.punch_out("peppol-buyer", None).await?;
        session.add("ABC-123", "1").await?;
        session.transfer("").await?;
        session.set("#quantity-1", "5").await?;
        session.click_to_leave("#send-order").await?;
        let answer = session.text("#shop-answer").await?;
        ensure!(
            answer.starts_with("HTTP 202") && answer.contains("held for review"),
            "the held order's answer: {answer}"
        );
        let verdict = session.text("#reconciliation-verdict").await?;
        ensure!(verdict.starts_with("HOLD"), "reconciliation: {verdict}");
        Ok(())
    })
}

/// Finds a finding naming `what` at `place`, or says what the page shows.
async fn expect_finding(session: &Session, what: &str, place: &str) -> anyhow::Result<()> {
    let verdict = session.verdict().await?;
    ensure!(
        verdict.contains("refuses"),
        "a broken cart was taken: {verdict}"
    );
    let findings = session.findings().await?;
    ensure!(
        findings
            .iter()
            .any(|finding| finding.to_lowercase().contains(what) && finding.contains(place)),
        "no finding about `{what}` at `{place}`; the findings: {findings:#?}"
    );
    Ok(())
}

fn broken_carts_are_named_with_their_place(
    session: &Session,
) -> Pin<Box<dyn Future<Output = anyhow::Result<()>> + '_>> {
    Box::pin(async move {
        session.punch_out("sap-srm-oci50", Some("utf-8")).await?;
        session.add("ABC-123", "1").await?;
        session.transfer("long-field").await?;
        expect_finding(session, "description", "NEW_ITEM-DESCRIPTION[1]").await?;
        session.screenshot("broken-long-field").await?;

        session.punch_out("sap-srm-oci40", None).await?;
        session.add("ABC-123", "1").await?;
        session.transfer("invalid-unit").await?;
        expect_finding(session, "xx9", "NEW_ITEM-UNIT[1]").await?;
        session.screenshot("broken-invalid-unit").await?;

        session.punch_out("jaggaer", None).await?;
        session.add("TON-9000", "2").await?;
        session.transfer("tampered-total").await?;
        expect_finding(session, "total", "Total").await?;
        session.screenshot("broken-tampered-total").await?;
        Ok(())
    })
}

const JOURNEYS: &[(&str, Journey)] = &[
    ("OCI 4.0 in ISO-8859-1 (SAP SRM)", oci_sap_srm_latin1),
    ("OCI 5.0 in UTF-8", oci_50_utf8),
    (
        "cXML create, edit, inspect and the order with changes (Ariba)",
        cxml_create_edit_inspect_and_order,
    ),
    (
        "cXML in a cross-site frame (Coupa, cxml-base64)",
        coupa_in_a_cross_site_frame,
    ),
    ("OCI 5.0 in a new window", oci_in_a_popup),
    ("Peppol cart and order", peppol_cart_and_order),
    (
        "broken carts: their verdict names the problem and its place",
        broken_carts_are_named_with_their_place,
    ),
];

#[test]
fn browser_journeys() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let (server, base, database) = start_server().expect("punchout serve starts");
    let failures = runtime.block_on(async {
        let (_driver, browser, profile) = start_browser().await.expect(
            "headless Chromium starts (Debian's `chromium` and `chromium-driver`; cargo xtask test installs them)",
        );
        let session = Session { browser, base };
        let mut failures = Vec::new();
        for (name, journey) in JOURNEYS {
            let started = std::time::Instant::now();
            match journey(&session).await {
                Ok(()) => eprintln!("ok   {name} ({:.1} s)", started.elapsed().as_secs_f64()),
                Err(error) => {
                    let shot = session
                        .screenshot(&format!("failed-{}", failures.len() + 1))
                        .await
                        .map_or_else(|_| "-".to_owned(), |path| path.display().to_string());
                    eprintln!("FAIL {name}: {error:#} (screenshot {shot})");
                    failures.push(format!("{name}: {error:#}"));
                }
            }
        }
        let _ = session.browser.close().await;
        let _ = std::fs::remove_dir_all(profile);
        failures
    });
    drop(server);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
    }
    assert!(
        failures.is_empty(),
        "{} journeys failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
