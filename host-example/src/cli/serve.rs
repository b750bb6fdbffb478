//! `punchout serve`: the buyer simulator and the demo shop as one local web app (see
//! `punchout_host::serve`). The first line on stdout is the URL it listens on.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;
use clap::Args;
use punchout_host::serve::engine::{Engine, ProfileSource, ShopEngine};
use punchout_host::serve::{self, buyer, ServeOptions};
use punchout_host::Native;

/// Start the buyer simulator and the demo shop: procurement systems (SAP SRM over OCI, Ariba,
/// Coupa, Jaggaer over cXML, a Peppol buyer) punch out to a shop that runs every step through
/// the engine; the returned cart is judged, approved with changes and ordered
#[derive(Args, Debug)]
pub struct Serve {
    /// Where to listen; port 0 picks a free port (the URL is the first line on stdout)
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    listen: SocketAddr,
    /// The store: a SQLite file (created when missing) or a `postgres://…` URL
    #[arg(long, default_value = "punchout-serve.sqlite", value_name = "URL")]
    database: String,
    /// More buyer profiles for the shop (every `*.json` there; secrets from the environment);
    /// the simulator's return endpoints are added to their return URLs
    #[arg(long, value_name = "DIR")]
    profiles: Option<PathBuf>,
    /// The specification folder for the buyer's DTD, schema and schematron checks; default
    /// `$PUNCHOUT_SPEC_DIR` (without it those checks are reported as not run)
    #[arg(long, value_name = "DIR")]
    spec_dir: Option<PathBuf>,
}

pub fn run(engine: &super::EngineOptions, args: Serve) -> anyhow::Result<ExitCode> {
    let listener = std::net::TcpListener::bind(args.listen)
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    listener.set_nonblocking(true)?;
    let base_url = serve::base_url(listener.local_addr()?);

    let presets = buyer::presets();
    let mut sources = serve::preset_profiles(&presets, &base_url)?;
    if let Some(dir) = &args.profiles {
        for (file, source) in user_profiles(dir, &base_url)? {
            if sources.iter().any(|known| known.id == source.id) {
                anyhow::bail!(
                    "`{}`: the profile id `{}` is already taken by a bundled buyer preset; give the profile another `id`",
                    file.display(),
                    source.id
                );
            }
            sources.push(source);
        }
    }
    let shop_engine: Box<dyn ShopEngine> = if engine.native {
        Box::new(Engine::new(Native, &sources)?)
    } else {
        let runtime = super::load_component(engine)?;
        Box::new(Engine::new(runtime.worker(), &sources)?)
    };
    // Opened before the async runtime starts: the PostgreSQL client runs its own.
    let store = serve::store::open(&args.database).map_err(anyhow::Error::msg)?;
    let spec_dir = args
        .spec_dir
        .or_else(|| std::env::var_os("PUNCHOUT_SPEC_DIR").map(PathBuf::from));
    let app = serve::App::new(
        ServeOptions {
            base_url: base_url.clone(),
            spec_dir,
        },
        shop_engine,
        store,
        presets,
        &sources,
    )?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        {
            // The URL alone on stdout (a test or script reads it and may close the pipe); the
            // hint for people on stderr.
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{base_url}")?;
            stdout.flush()?;
        }
        eprintln!("punchout serve: open {base_url}/ in a browser; Ctrl-C stops it");
        serve::serve(listener, Arc::new(app), shutdown()).await
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Ctrl-C or SIGTERM.
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// The user's profiles: each file read with its `extends` resolved, the simulator's return
/// endpoints added to its return URLs, its secrets from the environment.
fn user_profiles(dir: &Path, base_url: &str) -> anyhow::Result<Vec<(PathBuf, ProfileSource)>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read `{}`", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .collect();
    files.sort();
    let mut sources = Vec::new();
    for file in files {
        let profile = super::load_profile(&file)?;
        let secrets = super::load_secrets(&profile, None)?;
        let mut json: serde_json::Value = serde_json::from_str(profile.json())
            .with_context(|| format!("`{}`", file.display()))?;
        if let Some(urls) = json
            .get_mut("return_urls")
            .and_then(serde_json::Value::as_array_mut)
        {
            urls.push(format!("{base_url}{}", serve::RETURN_PATH).into());
        }
        let json = serde_json::to_string(&json)?;
        let info = serve::ShopProfile::from_json(&json)?;
        sources.push((
            file,
            ProfileSource {
                id: info.id,
                protocol: info.protocol,
                json,
                secrets,
            },
        ));
    }
    Ok(sources)
}
