//! `punchout serve` over plain HTTP, on each store: the cXML setup endpoint answers with a start
//! URL whose one-time token opens the shop once; a wrong secret gets the cXML 401; the order
//! endpoint refuses what it cannot read. The PostgreSQL run needs `PUNCHOUT_TEST_POSTGRES_URL`
//! (`cargo xtask test` starts a server on loopback) and fails without it, never skips.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

mod common;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Removes a test's SQLite file (and its WAL files) when the test ends.
struct TempDatabase(String);

impl Drop for TempDatabase {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0));
        }
    }
}

fn start(database: &str) -> Server {
    start_with(
        database,
        &["--component", &common::component().to_string_lossy()],
    )
}

fn start_with(database: &str, engine: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_punchout"))
        .args(engine)
        .args(["serve", "--listen", "127.0.0.1:0", "--database", database])
        .stdout(Stdio::piped())
        .spawn()
        .expect("punchout serve starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("the URL line");
    let base = first.trim().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "first line `{base}`");
    Server { child, base }
}

/// One HTTP/1.1 exchange: the status and the body.
fn exchange(base: &str, method: &str, path: &str, body: &str) -> (u16, String, String) {
    let address = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let location = head
        .lines()
        .find_map(|line| line.strip_prefix("location: "))
        .unwrap_or_default()
        .to_owned();
    // The shop's session lives in its URLs: no cookie, no URL leaked to other sites.
    let head = head.to_ascii_lowercase();
    assert!(!head.contains("set-cookie"), "a cookie was set: {head}");
    assert!(head.contains("referrer-policy: no-referrer"), "{head}");
    (status, location, body.to_owned())
}

/// The sample setup request as SAP Ariba's preset sends it to this server.
fn setup_request(base: &str, secret: &str) -> String {
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/cxml-setup-request.xml"),
    )
    .expect("the sample setup request");
    sample
        .replace(
            "<Identity>AN01000000001</Identity><SharedSecret>s3cr3t</SharedSecret>",
            &format!("<Identity>AribaNetwork</Identity><SharedSecret>{secret}</SharedSecret>"),
        )
        .replace(
            "https://procurement.example.com/punchout/return?sap-client=100",
            &format!("{base}/buyer/return/test-punchout"),
        )
}

fn start_url(answer: &str) -> String {
    let page = answer
        .find("<StartPage>")
        .unwrap_or_else(|| panic!("no StartPage in {answer}"));
    let start = answer[page..].find("<URL>").expect("its URL") + page + "<URL>".len();
    let end = answer[start..].find("</URL>").expect("its end") + start;
    answer[start..end].trim().replace("&amp;", "&")
}

fn start_token_opens_the_shop_once(database: &str) {
    let server = start(database);
    let (status, _, answer) = exchange(
        &server.base,
        "POST",
        "/shop/cxml/setup",
        &setup_request(&server.base, "s3cr3t"),
    );
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("<Status code=\"200\""), "{answer}");
    let url = start_url(&answer);
    let path = url
        .strip_prefix(&server.base)
        .expect("a start URL on this server");
    let token = path.split("token=").nth(1).unwrap_or_default();
    assert!(token.len() >= 32, "start token `{token}` is short");

    let (first, location, _) = exchange(&server.base, "GET", path, "");
    assert_eq!(first, 303, "the first use opens the shop");
    assert!(
        location.starts_with("/shop/s/"),
        "redirected to `{location}`"
    );
    let (shop, _, page) = exchange(&server.base, "GET", &location, "");
    assert_eq!(shop, 200);
    assert!(page.contains("ACME Industries via SAP Ariba"), "{page}");
    let (second, _, page) = exchange(&server.base, "GET", path, "");
    assert_eq!(second, 410, "a second use is refused");
    assert!(page.contains("this start link was already used"), "{page}");
}

fn wrong_secret_gets_401(database: &str) {
    let server = start(database);
    let (status, _, answer) = exchange(
        &server.base,
        "POST",
        "/shop/cxml/setup",
        &setup_request(&server.base, "guess!"),
    );
    assert_eq!(status, 200);
    assert!(answer.contains("<Status code=\"401\""), "{answer}");
    assert!(!answer.contains("guess!"), "the secret is echoed: {answer}");
}

fn sqlite_file(name: &str) -> TempDatabase {
    let path = std::env::temp_dir().join(format!(
        "punchout-serve-{name}-{}.sqlite",
        std::process::id()
    ));
    let database = TempDatabase(path.display().to_string());
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", database.0));
    }
    database
}

fn postgres_url() -> String {
    std::env::var("PUNCHOUT_TEST_POSTGRES_URL").expect(
        "PUNCHOUT_TEST_POSTGRES_URL is not set: run `cargo xtask test`, which starts a PostgreSQL server on loopback",
    )
}

#[test]
fn sqlite_start_token_opens_the_shop_once() {
    let database = sqlite_file("token");
    start_token_opens_the_shop_once(&database.0);
}

#[test]
fn postgres_start_token_opens_the_shop_once() {
    start_token_opens_the_shop_once(&postgres_url());
}

#[test]
fn sqlite_wrong_secret_gets_401() {
    let database = sqlite_file("secret");
    wrong_secret_gets_401(&database.0);
}

#[test]
fn postgres_wrong_secret_gets_401() {
    wrong_secret_gets_401(&postgres_url());
}

#[test]
fn order_endpoint_refuses_a_document_it_cannot_read_with_its_place() {
    let database = sqlite_file("order");
    let server = start(&database.0);
    let (status, _, body) = exchange(
        &server.base,
        "POST",
        "/shop/orders",
        "<Order><oops></Order>",
    );
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("malformed-xml") || body.contains("invalid-document"),
        "{body}"
    );
}

/// A folder with one profile of the user's: the Ariba sample under another id, its secret in
/// the environment.
fn user_profiles(id: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "punchout-serve-profiles-{id}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a profile folder");
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/cxml-buyer-profile.json"),
    )
    .expect("the sample profile");
    std::fs::write(
        dir.join("mine.json"),
        sample
            .replace("\"acme-ariba\"", &format!("\"{id}\""))
            .replace("AN01000000001", "AN09999999999"),
    )
    .expect("write the profile");
    dir
}

#[test]
fn user_profiles_are_served_beside_the_presets() {
    let dir = user_profiles("my-buyer");
    let database = sqlite_file("profiles");
    let mut child = Command::new(env!("CARGO_BIN_EXE_punchout"))
        .arg("--component")
        .arg(common::component())
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &database.0,
            "--profiles",
        ])
        .arg(&dir)
        .env("ACME_ARIBA_SHARED_SECRET", "mine")
        .stdout(Stdio::piped())
        .spawn()
        .expect("punchout serve starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("the URL line");
    let server = Server {
        child,
        base: first.trim().to_owned(),
    };
    let (status, _, page) = exchange(&server.base, "GET", "/", "");
    assert_eq!(status, 200);
    assert!(page.contains("<code>my-buyer</code>"), "{page}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_user_profile_with_a_preset_id_is_refused_naming_its_file() {
    let dir = user_profiles("acme-ariba");
    let database = sqlite_file("taken");
    let output = Command::new(env!("CARGO_BIN_EXE_punchout"))
        .arg("--component")
        .arg(common::component())
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database",
            &database.0,
            "--profiles",
        ])
        .arg(&dir)
        .env("ACME_ARIBA_SHARED_SECRET", "mine")
        .output()
        .expect("punchout serve runs");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "mine.json`: the profile id `acme-ariba` is already taken by a bundled buyer preset"
        ),
        "{stderr}"
    );
}

#[test]
fn native_engine_serves_the_same_setup() {
    let database = sqlite_file("native");
    let server = start_with(&database.0, &["--native"]);
    let (status, _, answer) = exchange(
        &server.base,
        "POST",
        "/shop/cxml/setup",
        &setup_request(&server.base, "s3cr3t"),
    );
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("<Status code=\"200\""), "{answer}");
    assert!(start_url(&answer).starts_with(&format!("{}/shop/start?token=", server.base)));
}

#[test]
fn return_endpoint_refuses_an_unknown_punch_out_and_a_post_without_a_cart() {
    let database = sqlite_file("return");
    let server = start(&database.0);
    let (status, _, page) = exchange(&server.base, "POST", "/buyer/return/nobody", "a=1");
    assert_eq!(status, 404, "{page}");
    assert!(page.contains("unknown punch-out"), "{page}");
}

#[test]
fn setup_request_with_an_internal_subset_gets_the_cxml_400_naming_it() {
    let database = sqlite_file("hostile");
    let server = start(&database.0);
    let request = setup_request(&server.base, "s3cr3t").replace(
        "cXML.dtd\">",
        "cXML.dtd\" [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>",
    );
    let (status, _, answer) = exchange(&server.base, "POST", "/shop/cxml/setup", &request);
    assert_eq!(status, 200, "cXML answers in its body");
    assert!(answer.contains("<Status code=\"400\""), "{answer}");
    assert!(
        answer.contains("internal DTD subset `[` is not allowed")
            && answer.contains("at line 2, column 1"),
        "{answer}"
    );
    assert!(!answer.contains("/etc/passwd"), "{answer}");
}
