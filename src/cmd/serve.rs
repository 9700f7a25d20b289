//! `recert serve`: the engine as an HTTP service, with a self-check web page.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use recert_engine::Lang;
use recert_serve::auth::Tokens;
use recert_serve::{Documents, Service, Settings};

use crate::args::{NameArgs, PackArgs, PluginArgs};
use crate::cmd::packs::PackList;
use crate::cmd::schema::SchemaName;
use crate::exit::Exit;
use crate::format::{Format, Render};
use crate::output::{print_diagnostics, reported};
use crate::{packset, plugins};

/// `recert serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on. Port 0 picks a free port (the
    /// address is printed on stderr). Anything but loopback is reachable
    /// from other machines.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Require a bearer token on every API route: FILE lists the accepted
    /// tokens' SHA-256 digests, one `sha256:<hex>` a line (`#` comments),
    /// made with `printf %s TOKEN | sha256sum`. The probes, /metrics and
    /// the page stay open.
    #[arg(long, value_name = "FILE")]
    pub tokens: Option<PathBuf>,

    /// Listen on an address other than loopback without --tokens: anyone
    /// who reaches it may use the API. Only behind something that
    /// authenticates (a gateway, a private network you trust).
    #[arg(long)]
    pub allow_unauthenticated: bool,

    #[command(flatten)]
    pub packs: PackArgs,

    #[command(flatten)]
    pub names: NameArgs,

    /// Sign the report of a request that asks for it (`sign=true`, JSON
    /// only) with the Ed25519 private key in KEY, as `recert check --sign`.
    #[arg(long, value_name = "KEY")]
    pub sign: Option<std::path::PathBuf>,

    /// How long one request may take from its arrival, waiting for its
    /// turn included, e.g. `10s`, `500ms` (at most 600s); past it the
    /// request is answered 503.
    #[arg(long, value_name = "TIME", default_value = "10s", value_parser = parse_time)]
    pub deadline: Duration,

    /// How many evaluations run at once. Default: one per core (the cores
    /// this process may use, a container's CPU limit included).
    /// Evaluations are CPU work: more than the cores does not answer more
    /// requests per second, it only makes each one slower; requests beyond
    /// N wait in the queue (--max-queued). Lower it to keep cores free for
    /// something else on the machine.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_concurrent: Option<u32>,

    /// How many requests may wait for an evaluation slot, taken in arrival
    /// order; beyond them a request is answered 503 at once with
    /// `Retry-After` (estimated from the queue and the mean evaluation
    /// time). Default: 64 per core. A request at the back waits about
    /// N x (the mean evaluation time) / --max-concurrent: keep that well
    /// under --deadline (at ~2 ms per typical submission, 64 per core is
    /// ~130 ms). 0: no queue, 503 as soon as every slot is busy (behind a
    /// load balancer that retries on another replica).
    #[arg(long, value_name = "N")]
    pub max_queued: Option<u32>,

    /// After SIGTERM (or Ctrl-C), keep serving for TIME with `/readyz`
    /// answering 503, so that a load balancer stops sending requests
    /// before the listener closes (e.g. `5s`). Default: close at once.
    /// Requests in flight always finish.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub shutdown_delay: Option<Duration>,

    // Last: its options are listed under their own heading.
    #[command(flatten)]
    pub plugins: PluginArgs,
}

fn parse_time(text: &str) -> Result<Duration, recert_engine::pack::limits::LimitError> {
    recert_engine::pack::limits::parse_time(text)
}

pub fn run(args: &ServeArgs) -> Exit {
    let tokens = match &args.tokens {
        Some(path) => match Tokens::read(path) {
            Ok(tokens) => Some(Arc::new(tokens)),
            Err(error) => {
                crate::output::note(format_args!("error: {error}"));
                return Exit::Invalid;
            }
        },
        None => None,
    };
    if tokens.is_none() && !args.allow_unauthenticated && !args.listen.ip().is_loopback() {
        crate::output::note(format_args!(
            "error: {} is reachable from other machines and no --tokens FILE is given: \
             anyone could use the API. Give --tokens FILE (the accepted tokens' SHA-256 \
             digests), or --allow-unauthenticated if something in front authenticates",
            args.listen
        ));
        return Exit::Invalid;
    }
    let signing_key = match args.sign.as_deref().map(crate::cmd::check::signing_key) {
        None => None,
        Some(Ok(key)) => Some(key),
        Some(Err(diagnostics)) => {
            print_diagnostics(&diagnostics);
            return Exit::Invalid;
        }
    };
    let Some(packs) = reported(packset::load(&args.packs)) else {
        return Exit::Invalid;
    };
    let registry = match plugins::host(&args.plugins, &packs) {
        Ok(registry) => registry,
        Err(exit) => return exit,
    };
    let documents = match documents(&packs) {
        Ok(documents) => documents,
        Err(message) => {
            crate::output::note(format_args!("error: {message}"));
            return Exit::Invalid;
        }
    };
    let settings = Settings {
        strict: args.names.strict,
        signing_key,
        deadline: args.deadline,
        max_concurrent: args
            .max_concurrent
            .map_or_else(recert_serve::default_max_concurrent, |n| {
                usize::try_from(n).unwrap_or(usize::MAX)
            }),
        max_queued: args
            .max_queued
            .map_or_else(recert_serve::default_max_queued, |n| {
                usize::try_from(n).unwrap_or(usize::MAX)
            }),
    };
    let runtime = match recert_serve::runtime(&settings) {
        Ok(runtime) => runtime,
        Err(error) => {
            crate::output::note(format_args!("error: cannot start the server: {error}"));
            return Exit::Invalid;
        }
    };
    let service = Arc::new(Service::new(packs, registry, settings, documents));
    recert_serve::log::init();
    runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(args.listen).await {
            Ok(listener) => listener,
            Err(error) => {
                crate::output::note(format_args!(
                    "error: cannot listen on {}: {error}",
                    args.listen
                ));
                return Exit::Invalid;
            }
        };
        if let Ok(address) = listener.local_addr() {
            crate::output::note(format_args!("listening on http://{address}"));
        }
        let stopping = Arc::clone(&service);
        let delay = args.shutdown_delay;
        let shutdown = async move {
            shutdown_signal().await;
            stopping.stop();
            tracing::info!("shutting down: requests in flight finish");
            if let Some(delay) = delay {
                tokio::time::sleep(delay).await;
            }
        };
        match recert_serve::serve_with(listener, service, tokens, shutdown).await {
            Ok(()) => Exit::Ok,
            Err(error) => {
                crate::output::note(format_args!("error: the server stopped: {error}"));
                Exit::Invalid
            }
        }
    })
}

/// What the service serves as it is: `recert packs --format json` in both
/// languages, every `recert schema NAME`.
fn documents(packs: &recert_engine::pack::PackSet) -> Result<Documents, String> {
    let list = PackList(packs.packs());
    let en = list
        .render(Format::Json, &Lang::En)
        .map_err(|e| e.to_string())?;
    let zh = list
        .render(Format::Json, &Lang::Zh)
        .map_err(|e| e.to_string())?;
    Ok(Documents {
        packs: [en, zh],
        schemas: SchemaName::ALL
            .iter()
            .map(|(name, schema)| (*name, schema.text()))
            .collect(),
    })
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
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
        () = ctrl_c => {},
        () = terminate => {},
    }
}
