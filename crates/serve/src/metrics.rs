//! The service's metrics, as `GET /metrics` gives them (Prometheus text
//! format, by the `prometheus-client` crate):
//!
//! - `recert_http_requests_total{method,route,status}`: requests answered;
//! - `recert_http_request_duration_seconds{method,route,status}`: their
//!   latency, from the request's arrival to its answer's headers;
//! - `recert_http_requests_in_flight`: requests being answered now;
//! - `recert_evaluations_running`: evaluations running now (at most
//!   `--max-concurrent`);
//! - `recert_evaluations_queued`: requests waiting for a slot now (at most
//!   `--max-queued`);
//! - `recert_queue_wait_seconds`: how long requests waited for a slot
//!   (those that waited: a request that found a slot free is not counted);
//! - `recert_verdicts_total{verdict}`: reports made, by verdict;
//! - `recert_plugin_errors_total`: plugin calls that gave no findings (the
//!   rule's outcome is `error`);
//! - `recert_plugin_budget_hits_total{limit}`: those of them stopped by a
//!   limit: `fuel` (one call's), `submission` (the submission's plugin
//!   budget), `time` (the wall-clock safety net) or `memory`.
//!
//! Every replica counts its own; the scraper sums them.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// The media type of `GET /metrics`.
pub const MEDIA_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The labels of a request's metrics.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    /// `GET`, `POST`...
    method: String,
    /// The route's pattern (`/v1/schemas/{name}`), or `unmatched`: never the
    /// path itself, so that the number of series stays bounded.
    route: String,
    /// The answer's status code.
    status: u16,
}

/// The label of a verdict count.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VerdictLabels {
    verdict: &'static str,
}

/// The label of a budget hit.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LimitLabels {
    limit: &'static str,
}

type HistogramFamily = Family<RequestLabels, Histogram, fn() -> Histogram>;

/// The metrics of one process.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily,
    in_flight: Gauge,
    running: Gauge,
    queued: Gauge,
    queue_wait: Histogram,
    verdicts: Family<VerdictLabels, Counter>,
    plugin_errors: Counter,
    budget_hits: Family<LimitLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

/// The buckets of the latency histogram: 1 ms to about 33 s, doubling.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

impl Metrics {
    /// Every metric at zero, registered.
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: HistogramFamily = Family::new_with_constructor(latency_histogram);
        let in_flight = Gauge::default();
        let running = Gauge::default();
        let queued = Gauge::default();
        let queue_wait = latency_histogram();
        let verdicts = Family::<VerdictLabels, Counter>::default();
        let plugin_errors = Counter::default();
        let budget_hits = Family::<LimitLabels, Counter>::default();
        registry.register(
            "recert_http_requests",
            "HTTP requests answered, by method, route and status",
            requests.clone(),
        );
        registry.register(
            "recert_http_request_duration_seconds",
            "Latency of HTTP requests in seconds, by method, route and status",
            latency.clone(),
        );
        registry.register(
            "recert_http_requests_in_flight",
            "HTTP requests being answered",
            in_flight.clone(),
        );
        registry.register(
            "recert_evaluations_running",
            "Evaluations running (at most --max-concurrent)",
            running.clone(),
        );
        registry.register(
            "recert_evaluations_queued",
            "Requests waiting for an evaluation slot (at most --max-queued)",
            queued.clone(),
        );
        registry.register(
            "recert_queue_wait_seconds",
            "How long requests that found no free slot waited for one, in seconds",
            queue_wait.clone(),
        );
        registry.register(
            "recert_verdicts",
            "Reports made, by verdict",
            verdicts.clone(),
        );
        registry.register(
            "recert_plugin_errors",
            "Plugin calls that gave no findings (the rule's outcome is error)",
            plugin_errors.clone(),
        );
        registry.register(
            "recert_plugin_budget_hits",
            "Plugin calls stopped by a limit: fuel, submission (budget), time or memory",
            budget_hits.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            in_flight,
            running,
            queued,
            queue_wait,
            verdicts,
            plugin_errors,
            budget_hits,
        }
    }

    /// Counts a request answered.
    pub fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let labels = RequestLabels {
            method: method.to_owned(),
            route: route.to_owned(),
            status,
        };
        self.requests.get_or_create(&labels).inc();
        self.latency.get_or_create(&labels).observe(seconds);
    }

    /// A request started (`+1`) or finished (`-1`).
    pub fn in_flight(&self, delta: i64) {
        self.in_flight.inc_by(delta);
    }

    /// An evaluation started (`+1`) or ended (`-1`).
    pub fn running(&self, delta: i64) {
        self.running.inc_by(delta);
    }

    /// A request entered (`+1`) or left (`-1`) the queue.
    pub fn queued(&self, delta: i64) {
        self.queued.inc_by(delta);
    }

    /// A request waited `seconds` in the queue.
    pub fn queue_wait(&self, seconds: f64) {
        self.queue_wait.observe(seconds);
    }

    /// Counts a report's verdict.
    pub fn verdict(&self, verdict: recert_engine::report::Verdict) {
        self.verdicts
            .get_or_create(&VerdictLabels {
                verdict: verdict.as_str(),
            })
            .inc();
    }

    /// Counts a plugin call that failed, for `reason` (as the host words
    /// it), and the limit that stopped it, if one did.
    pub fn plugin_error(&self, reason: &str) {
        self.plugin_errors.inc();
        if let Some(limit) = limit_hit(reason) {
            self.budget_hits.get_or_create(&LimitLabels { limit }).inc();
        }
    }

    /// The Prometheus text of every metric.
    pub fn encode(&self) -> String {
        let mut text = String::new();
        // Writing to a String does not fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

/// Which limit stopped a plugin call, from the host's words for it
/// (`recert_engine::plugin::FailureKind`'s display).
fn limit_hit(reason: &str) -> Option<&'static str> {
    if reason.contains("plugin budget is spent") {
        Some("submission")
    } else if reason.contains("wall-clock safety net") {
        Some("time")
    } else if reason.contains("ran out of its fuel budget") {
        Some("fuel")
    } else if reason.contains("memory limit") {
        Some("memory")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budget_hits_are_told_apart_by_the_hosts_words() {
        assert_eq!(
            limit_hit("plugin `x` 1.0.0 ran out of its fuel budget of 100 instructions"),
            Some("fuel")
        );
        assert_eq!(
            limit_hit(
                "plugin `x` 1.0.0 was stopped by the wall-clock safety net after 1 s; its fuel budget was not exhausted"
            ),
            Some("time")
        );
        assert_eq!(
            limit_hit(
                "plugin `x` was not run: the submission's plugin budget is spent (its earlier plugin calls used all of it)"
            ),
            Some("submission")
        );
        assert_eq!(limit_hit("plugin `x` 1.0.0 panicked: boom"), None);
    }

    #[test]
    fn the_text_names_every_metric() {
        let metrics = Metrics::new();
        metrics.request("POST", "/v1/evaluate", 200, 0.01);
        metrics.verdict(recert_engine::report::Verdict::Fail);
        metrics.plugin_error("plugin `x` 1.0.0 exceeded its 64 MiB memory limit");
        let text = metrics.encode();
        for name in [
            "recert_http_requests_total{method=\"POST\",route=\"/v1/evaluate\",status=\"200\"} 1",
            "recert_http_request_duration_seconds_bucket",
            "recert_verdicts_total{verdict=\"fail\"} 1",
            "recert_plugin_errors_total 1",
            "recert_plugin_budget_hits_total{limit=\"memory\"} 1",
            "recert_evaluations_running 0",
            "recert_evaluations_queued 0",
            "recert_queue_wait_seconds_count 0",
        ] {
            assert!(text.contains(name), "{name} missing from\n{text}");
        }
    }
}
