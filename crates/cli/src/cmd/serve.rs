//! `annals serve [--db FILE] [--addr 127.0.0.1:7878] [--read-only] [--token T]`
use crate::DbArg;
use anyhow::Context;
use std::net::SocketAddr;
use std::process::ExitCode;

/// How the server listens; shared by `serve` and `open`.
#[derive(clap::Args, Clone)]
pub(crate) struct ServeOpts {
    /// Address to listen on (loopback unless told otherwise; port 0 picks a free one).
    #[arg(long, default_value = "127.0.0.1:7878")]
    pub(crate) addr: SocketAddr,
    /// Refuse every request that would change data.
    #[arg(long)]
    pub(crate) read_only: bool,
    /// Token required by requests that change data (or env ANNALS_TOKEN); without one they are off.
    #[arg(long, env = "ANNALS_TOKEN", hide_env_values = true)]
    pub(crate) token: Option<String>,
}

#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    opts: ServeOpts,
}

pub(crate) fn run(a: Args) -> anyhow::Result<ExitCode> {
    crate::cmd::open_existing(&a.db.db)?;
    serve_db(&a.db.db, &a.opts)
}

/// Loads the room (bringing the search index in step) and serves it until Ctrl-C.
pub(crate) fn serve_db(db: &std::path::Path, o: &ServeOpts) -> anyhow::Result<ExitCode> {
    let room = annals_serve::Room::load(db)
        .with_context(|| format!("cannot open the reading room over {}", db.display()))?;
    let docs = room.snap.docs.len();
    for w in &room.warnings {
        eprintln!("warning: {w}");
    }
    let state = annals_serve::AppState::new(
        room,
        annals_serve::Config {
            db: db.to_path_buf(),
            read_only: o.read_only,
            token: o.token.clone().filter(|t| !t.is_empty()),
        },
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(o.addr)
            .await
            .with_context(|| format!("cannot listen on {}", o.addr))?;
        let addr = listener.local_addr()?;
        println!("annals reading room: http://{addr}/  ({docs} documents; Ctrl-C to stop)");
        if !addr.ip().is_loopback() {
            eprintln!("warning: listening on {addr}, reachable from other machines");
        }
        annals_serve::serve(listener, state).await?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
