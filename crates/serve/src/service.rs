//! What the server loads once and every request reads: the packs, the
//! plugins and the operator's settings, and the one way to evaluate a
//! request body into report bytes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use recert_engine::eval::{self, Options, PluginOutput, PluginRequest, PluginRunner};
use recert_engine::format::{Format, Render};
use recert_engine::load::{self, Source};
use recert_engine::names::KnownNames;
use recert_engine::pack::{Pack, PackSet};
use recert_engine::plugin::PluginRegistry;
use recert_engine::report::document::{Document, Entry, Located};
use recert_engine::report::signature::SigningKey;
use recert_engine::report::{RenderOptions, Report};
use recert_engine::{Code, Diagnostic, Diagnostics, Lang, Location};

use crate::metrics::Metrics;

/// The name a request body goes by in diagnostics and reports, where the
/// CLI names the file (`recert check -` names standard input `<stdin>`).
pub const BODY_NAME: &str = "request body";

/// The packs, params and plugins, loaded at start and shared by every
/// request, with the operator's settings and the process's metrics.
pub struct Service {
    /// The compiled packs, with the operator's params.
    pub packs: PackSet,
    /// The plugin host (`None`: no pack needs one).
    pub plugins: Option<PluginRegistry>,
    /// How requests are evaluated and bounded.
    pub settings: Settings,
    /// The documents served as they are: the pack list, the schemas.
    pub documents: Documents,
    /// The process's counters, served at `/metrics`.
    pub metrics: Metrics,
    /// The names the packs read (`--strict`).
    names: KnownNames,
    /// Evaluations running; `max_concurrent` permits,
    /// handed out in the order they were asked for (tokio's semaphore is fair).
    slots: Arc<tokio::sync::Semaphore>,
    /// Requests waiting for a slot (at most `max_queued`).
    queued: AtomicUsize,
    /// Evaluations finished, and their total time in microseconds: the
    /// mean that `Retry-After` is computed from.
    evaluated: AtomicU64,
    evaluating_us: AtomicU64,
    /// Set once shutdown starts: `/readyz` answers 503 from then on.
    stopping: AtomicBool,
}

/// The operator's settings of a service.
#[derive(Debug, Clone)]
pub struct Settings {
    /// An unknown substance or property name is an error (`--strict`), not a warning.
    pub strict: bool,
    /// The key of `sign=true` (`--sign KEY`); `None`: signing is refused.
    pub signing_key: Option<SigningKey>,
    /// How long one request may take from its arrival, waiting for a slot
    /// included (`--deadline`); past it the request is answered 503.
    pub deadline: Duration,
    /// How many evaluations run at once (`--max-concurrent`).
    pub max_concurrent: usize,
    /// How many requests may wait for one of the `max_concurrent` slots,
    /// in arrival order (`--max-queued`); beyond it: 503 with `Retry-After`.
    pub max_queued: usize,
}

impl Default for Settings {
    /// Not strict, no key, 10 s, one evaluation per core, 64 waiting per core.
    fn default() -> Self {
        Settings {
            strict: false,
            signing_key: None,
            deadline: Duration::from_secs(10),
            max_concurrent: default_max_concurrent(),
            max_queued: default_max_queued(),
        }
    }
}

/// The cores this process may use (its CPU affinity and cgroup quota
/// included: a pod limited to 2 CPUs counts 2), at least 1.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// One evaluation per core. An evaluation is CPU work from start to end
/// (no I/O, no waiting: the packs and plugins are in memory), so a core
/// that runs one is fully used; a second evaluation on the same core does
/// not finish sooner, it only shares the core (both take twice as long)
/// and adds switches between threads and cache misses. Requests beyond the
/// cores wait in the queue ([`default_max_queued`]) instead, and start in
/// arrival order as cores free up: the same throughput, lower latency for
/// the earlier ones, no request starved.
pub fn default_max_concurrent() -> usize {
    cores()
}

/// 64 waiting requests per core. At ~2 ms per evaluation of a typical
/// submission a full queue is ~130 ms of work per core: clients ride out a
/// burst instead of getting 503, and a request at the back still meets the
/// default deadline (10 s) with room to spare; beyond that, 503 with
/// `Retry-After` tells a load balancer to try another replica.
pub fn default_max_queued() -> usize {
    cores() * 64
}

/// Why a request got no slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoSlot {
    /// The queue is full: retry after this many seconds (at least 1).
    Full { retry_after: u64 },
    /// The request's deadline passed while it waited.
    Deadline,
}

/// A running evaluation's slot: counts the evaluation's time when dropped.
pub struct Slot {
    service: Arc<Service>,
    started: Instant,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let us = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.service.evaluating_us.fetch_add(us, Ordering::Relaxed);
        self.service.evaluated.fetch_add(1, Ordering::Relaxed);
        self.service.metrics.running(-1);
    }
}

/// Counts a request in the queue until dropped (also when its client goes away).
struct Waiting<'a>(&'a Service);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.queued.fetch_sub(1, Ordering::SeqCst);
        self.0.metrics.queued(-1);
    }
}

/// Documents the service serves as they are, made by the program that
/// starts it (they come from crates this one does not depend on).
#[derive(Debug, Clone, Default)]
pub struct Documents {
    /// `recert packs --format json`: in English, then in Chinese.
    pub packs: [String; 2],
    /// `recert schema NAME`: `(NAME, the schema's JSON)`.
    pub schemas: Vec<(&'static str, &'static str)>,
}

impl Documents {
    /// The pack list in `lang`.
    pub fn packs(&self, lang: Lang) -> &str {
        let [en, zh] = &self.packs;
        match lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// The schema named `name`.
    pub fn schema(&self, name: &str) -> Option<&'static str> {
        self.schemas
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| *text)
    }
}

/// One evaluation asked for: the body and the query's `at`, `lang`, `format`, `sign`.
#[derive(Debug, Clone)]
pub struct Request {
    /// The submission, YAML or JSON (JSON if it starts with `{`), as sent.
    pub body: Vec<u8>,
    /// The evaluation date.
    pub at: jiff::civil::Date,
    /// The report's language.
    pub lang: Lang,
    /// The report's format.
    pub format: Format,
    /// Sign the report with the service's key (JSON only).
    pub sign: bool,
}

/// A request evaluated: the report's bytes as `recert check` writes them.
#[derive(Debug)]
pub struct Evaluated {
    /// The rendered report.
    pub body: String,
    /// The report's verdict, e.g. `pass`.
    pub verdict: recert_engine::report::Verdict,
    /// What `recert check` warns about on stderr (a share written as a
    /// fraction, a name no pack reads).
    pub warnings: Vec<Diagnostic>,
}

/// A body checked by `POST /v1/validate`: the submission's id and the warnings.
#[derive(Debug)]
pub struct Validated {
    /// The submission's id.
    pub id: String,
    /// What `recert validate` warns about.
    pub warnings: Vec<Diagnostic>,
}

impl Service {
    /// A service over `packs` and `plugins`, with `settings` and `documents`.
    pub fn new(
        packs: PackSet,
        plugins: Option<PluginRegistry>,
        settings: Settings,
        documents: Documents,
    ) -> Service {
        let names = KnownNames::new(&packs);
        let slots = Arc::new(tokio::sync::Semaphore::new(settings.max_concurrent.max(1)));
        Service {
            packs,
            plugins,
            settings,
            documents,
            metrics: Metrics::new(),
            names,
            slots,
            queued: AtomicUsize::new(0),
            evaluated: AtomicU64::new(0),
            evaluating_us: AtomicU64::new(0),
            stopping: AtomicBool::new(false),
        }
    }

    /// A slot to evaluate in: at once if one of the `max_concurrent` is
    /// free, else after the requests that came before, waiting in the queue
    /// until `deadline`; none if `max_queued` requests are waiting already.
    pub async fn slot(self: &Arc<Self>, deadline: Instant) -> Result<Slot, NoSlot> {
        let slots = Arc::clone(&self.slots);
        // No permit is free while anyone waits (the semaphore hands a freed
        // permit to the first waiter): this does not jump the queue.
        let permit = match Arc::clone(&slots).try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                let max = self.settings.max_queued;
                let entered =
                    self.queued
                        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |queued| {
                            (queued < max).then_some(queued + 1)
                        });
                if entered.is_err() {
                    return Err(NoSlot::Full {
                        retry_after: self.retry_after(max),
                    });
                }
                self.metrics.queued(1);
                let waiting = Waiting(self);
                let since = Instant::now();
                let acquired =
                    tokio::time::timeout_at(deadline.into(), slots.acquire_owned()).await;
                self.metrics.queue_wait(since.elapsed().as_secs_f64());
                drop(waiting);
                match acquired {
                    Ok(Ok(permit)) => permit,
                    // The semaphore is never closed; if it were, no slot.
                    Ok(Err(_)) | Err(_) => return Err(NoSlot::Deadline),
                }
            }
        };
        self.metrics.running(1);
        Ok(Slot {
            service: Arc::clone(self),
            started: Instant::now(),
            _permit: permit,
        })
    }

    /// Seconds until `waiting` requests and those running are likely done:
    /// their number times the mean evaluation time so far, over the slots;
    /// at least 1 (also before the first evaluation), at most 60.
    fn retry_after(&self, waiting: usize) -> u64 {
        let count = self.evaluated.load(Ordering::Relaxed);
        let total_us = self.evaluating_us.load(Ordering::Relaxed);
        let mean_us = total_us.checked_div(count).unwrap_or(0);
        let ahead =
            u64::try_from(waiting.saturating_add(self.settings.max_concurrent)).unwrap_or(u64::MAX);
        let slots = u64::try_from(self.settings.max_concurrent.max(1)).unwrap_or(1);
        let us = mean_us.saturating_mul(ahead) / slots;
        us.div_ceil(1_000_000).clamp(1, 60)
    }

    /// How many evaluations run now.
    pub fn running(&self) -> usize {
        self.settings
            .max_concurrent
            .max(1)
            .saturating_sub(self.slots.available_permits())
    }

    /// How many evaluations have ended so far.
    pub fn evaluations_ended(&self) -> u64 {
        self.evaluated.load(Ordering::Relaxed)
    }

    /// How many requests wait for a slot now.
    pub fn queued(&self) -> usize {
        self.queued.load(Ordering::SeqCst)
    }

    /// Whether the service takes requests: not once shutdown has started.
    pub fn is_ready(&self) -> bool {
        !self.stopping.load(Ordering::SeqCst)
    }

    /// Marks the service as shutting down (`/readyz` answers 503).
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    /// The submission in `body`, as `recert check -` reads it, checked for
    /// names no pack reads (errors with `--strict`); with the warnings.
    fn load(
        &self,
        body: Vec<u8>,
        lang: Lang,
    ) -> Result<(Arc<Source>, load::Submission, Vec<Diagnostic>), Diagnostics> {
        let head = String::from_utf8_lossy(body.get(..64).unwrap_or(&body));
        let format = load::Format::sniff(&head);
        // The body's bytes become the source's text, shared with the
        // submission: no copy.
        let source = Arc::new(Source::from_bytes(BODY_NAME.to_owned(), body, format)?);
        let submission = load::load_shared(Arc::clone(&source))?;
        let strict = self.settings.strict;
        let unknown = self.names.check(&submission, Some(&source), strict, lang);
        if strict && !unknown.is_empty() {
            return Err(Diagnostics(unknown));
        }
        let mut warnings = load::share_warnings(&submission, Some(&source), lang);
        warnings.extend(unknown);
        Ok((source, submission, warnings))
    }

    /// Checks `body` as `recert validate -` does.
    pub fn validate(&self, body: Vec<u8>, lang: Lang) -> Result<Validated, Diagnostics> {
        let (_, submission, warnings) = self.load(body, lang)?;
        Ok(Validated {
            id: submission.id.to_string(),
            warnings,
        })
    }

    /// Evaluates `request` into the report `recert check - --format F
    /// --lang L --at D` (and `--sign KEY`) writes for the same text on
    /// standard input, named [`BODY_NAME`] instead of `<stdin>`; or the
    /// diagnostics of a body that is not a valid submission.
    pub fn evaluate(&self, request: Request) -> Result<Evaluated, Diagnostics> {
        let Request {
            body,
            at,
            lang,
            format,
            sign,
        } = request;
        let (source, submission, warnings) = self.load(body, lang)?;
        let counting = self.plugins.as_ref().map(|registry| Counting {
            inner: registry,
            metrics: &self.metrics,
        });
        let options = Options {
            date: at,
            lang,
            plugins: counting.as_ref().map(|r| r as &dyn PluginRunner),
        };
        let mut report = eval::evaluate(&self.packs, &submission, &options);
        if sign {
            let key = self.settings.signing_key.as_ref().ok_or_else(|| {
                internal("this server has no signing key (start it with --sign KEY)".to_owned())
            })?;
            report
                .sign(key)
                .map_err(|e| internal(format!("cannot sign the report: {e}")))?;
        }
        let verdict = report.verdict;
        self.metrics.verdict(verdict);
        let body = self.render(report, &source, format, lang)?;
        Ok(Evaluated {
            body,
            verdict,
            warnings,
        })
    }

    /// `report` in the request's format: a report's own formats as `check`
    /// writes one file's; SARIF and JUnit as the document of a run over
    /// that one file.
    fn render(
        &self,
        report: Report,
        source: &Source,
        format: Format,
        lang: Lang,
    ) -> Result<String, Diagnostics> {
        let rendered = match format {
            Format::Sarif | Format::Junit => Document {
                packs: &self.packs,
                lang,
                entries: vec![Entry::Report(Box::new(Located::new(report, source, None)))],
            }
            .render(format, &()),
            format => {
                let options = RenderOptions {
                    color: false,
                    json_lines: false,
                    html_section: false,
                };
                report.render(format, &options)
            }
        };
        rendered.map_err(|e| internal(format!("cannot write the report: {e}")))
    }
}

/// An internal failure about the request body.
fn internal(message: String) -> Diagnostics {
    Diagnostics::one(Diagnostic::new(
        Code::Internal,
        Location::new(BODY_NAME, ""),
        message,
    ))
}

/// The plugin host, counting the calls that fail in the service's metrics.
struct Counting<'a> {
    inner: &'a PluginRegistry,
    metrics: &'a Metrics,
}

impl PluginRunner for Counting<'_> {
    fn run(&self, request: &PluginRequest<'_>) -> Result<PluginOutput, String> {
        let output = self.inner.run(request);
        match &output {
            Err(reason) => self.metrics.plugin_error(reason),
            Ok(PluginOutput {
                findings: Err(reason),
                ..
            }) => self.metrics.plugin_error(reason),
            Ok(_) => {}
        }
        output
    }

    fn submission_budget(&self) -> Option<u64> {
        self.inner.submission_budget()
    }

    fn prepare(&self, pack: &Pack) -> Result<(), Diagnostics> {
        self.inner.prepare(pack)
    }
}
