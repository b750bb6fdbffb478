//! What the tests of `punchout serve` need beside cargo: headless Chromium with its WebDriver
//! (Debian's `chromium`, `chromium-driver`) and a throwaway PostgreSQL server on loopback
//! (Debian's `postgresql`), installed when missing and failing loudly when they cannot be.
//!
//! The server lives in a temporary folder for the length of the test run: `initdb` (as the
//! `postgres` user through `runuser` when run as root, since PostgreSQL refuses to run as root),
//! `pg_ctl start` listening on 127.0.0.1 only, on a free port, its socket in the same folder; it
//! is stopped and the folder removed when [`ServeTestEnv`] is dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context as _};

/// The environment the serve tests read, and the PostgreSQL server behind it.
#[derive(Debug)]
pub struct ServeTestEnv {
    postgres: Option<Postgres>,
    url: String,
}

#[derive(Debug)]
struct Postgres {
    bin: PathBuf,
    folder: PathBuf,
    as_postgres: bool,
}

impl ServeTestEnv {
    /// Installs or checks Chromium, chromedriver and PostgreSQL, then starts the server.
    ///
    /// # Errors
    /// When a tool is missing and cannot be installed, or the server does not start.
    pub fn prepare() -> anyhow::Result<Self> {
        super::ensure_program("chromium", "chromium")?;
        super::ensure_program("chromedriver", "chromium-driver")?;
        super::ensure_debian_package(
            || postgres_bin().is_some(),
            "PostgreSQL (`/usr/lib/postgresql/*/bin/initdb`)",
            "postgresql",
        )?;
        let bin = postgres_bin().context("PostgreSQL's programs are missing")?;
        let (postgres, url) = Postgres::start(bin)?;
        Ok(ServeTestEnv {
            postgres: Some(postgres),
            url,
        })
    }

    /// The variables the tests read.
    pub fn vars(&self) -> Vec<(&'static str, String)> {
        vec![("PUNCHOUT_TEST_POSTGRES_URL", self.url.clone())]
    }
}

impl Drop for ServeTestEnv {
    fn drop(&mut self) {
        if let Some(postgres) = self.postgres.take() {
            postgres.stop();
        }
    }
}

/// The newest `/usr/lib/postgresql/N/bin` with `initdb` and `pg_ctl`.
fn postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            (bin.join("initdb").is_file() && bin.join("pg_ctl").is_file()).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

fn free_port() -> anyhow::Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

impl Postgres {
    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    fn start(bin: PathBuf) -> anyhow::Result<(Self, String)> {
        let folder = std::env::temp_dir().join(format!("punchout-postgres-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("cannot create `{}`", folder.display()))?;
        let as_postgres = is_root();
        let postgres = Postgres {
            bin,
            folder,
            as_postgres,
        };
        if as_postgres {
            super::run(Command::new("chown").arg("postgres:").arg(&postgres.folder))?;
        }
        let data = postgres.folder.join("data");
        super::run(
            postgres
                .command("initdb")
                .args([
                    "--auth=trust",
                    "--username=postgres",
                    "--encoding=UTF8",
                    "--no-sync",
                ])
                .arg("-D")
                .arg(&data)
                .stdout(std::process::Stdio::null()),
        )
        .context("initdb failed")?;
        let port = free_port()?;
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off",
            postgres.folder.display()
        );
        let log = postgres.folder.join("server.log");
        let started = postgres
            .command("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-o", &options, "-w", "-t", "60", "-l"])
            .arg(&log)
            .arg("start")
            .status()
            .context("cannot start pg_ctl")?;
        if !started.success() {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            postgres.stop();
            bail!("PostgreSQL did not start ({started}): {text}");
        }
        eprintln!("xtask: PostgreSQL listening on 127.0.0.1:{port} (for the serve tests)");
        Ok((
            postgres,
            format!("postgres://postgres@127.0.0.1:{port}/postgres"),
        ))
    }

    fn stop(self) {
        let data = self.folder.join("data");
        if data.is_dir() {
            let _ = self
                .command("pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-m", "immediate", "-w", "stop"])
                .stdout(std::process::Stdio::null())
                .status();
        }
        remove(&self.folder);
    }
}

fn remove(folder: &Path) {
    if let Err(error) = std::fs::remove_dir_all(folder) {
        eprintln!("xtask: cannot remove `{}`: {error}", folder.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throwaway_postgres_listens_on_loopback_and_is_removed_when_stopped() {
        let bin = postgres_bin()
            .expect("PostgreSQL is missing: install Debian's `postgresql` (cargo xtask test does)");
        let (postgres, url) = Postgres::start(bin).expect("PostgreSQL starts");
        let folder = postgres.folder.clone();
        let address = url
            .strip_prefix("postgres://postgres@")
            .and_then(|rest| rest.strip_suffix("/postgres"))
            .expect("a loopback URL");
        assert!(address.starts_with("127.0.0.1:"), "{url}");
        std::net::TcpStream::connect(address).expect("the server accepts connections");
        postgres.stop();
        assert!(!folder.exists(), "`{}` is left behind", folder.display());
        assert!(
            std::net::TcpStream::connect(address).is_err(),
            "the server still listens after stop"
        );
    }
}
