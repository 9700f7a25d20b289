//! `recert serve`: the engine as an HTTP service, with a self-check web page.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use recert_serve::Service;
use recert_serve::auth::Tokens;

use crate::args::{PackArgs, PluginArgs};
use crate::exit::Exit;
use crate::output::reported;
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

    // Last: its options are listed under their own heading.
    #[command(flatten)]
    pub plugins: PluginArgs,
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
    let Some(packs) = reported(packset::load(&args.packs)) else {
        return Exit::Invalid;
    };
    let overrides = match plugins::limits(&args.plugins) {
        Ok(overrides) => overrides,
        Err(message) => {
            crate::output::note(format_args!("error: {message}"));
            return Exit::Invalid;
        }
    };
    let Some(registry) = reported(plugins::prepared(&args.plugins, overrides, &packs)) else {
        return Exit::Invalid;
    };
    let service = Arc::new(Service {
        packs,
        plugins: registry,
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            crate::output::note(format_args!("error: cannot start the server: {error}"));
            return Exit::Invalid;
        }
    };
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
        match recert_serve::serve_with(listener, service, tokens, shutdown_signal()).await {
            Ok(()) => Exit::Ok,
            Err(error) => {
                crate::output::note(format_args!("error: the server stopped: {error}"));
                Exit::Invalid
            }
        }
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
