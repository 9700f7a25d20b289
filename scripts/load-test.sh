#!/usr/bin/env bash
# A load test anyone can run: builds recert (release), starts `recert serve`
# on loopback, sends the EEE example (examples/eee-abs-housing.yaml) to
# POST /v1/evaluate with oha (https://crates.io/crates/oha, installed with
# `cargo install oha --locked` when missing) at concurrency 1, 8 and 32,
# and prints per run: requests/s, p50 and p99 latency, failed requests
# (anything but 200, and connection errors), the server's CPU time per
# request; then the server's peak RSS, and its RSS after 10 000 and after
# 100 000 requests (flat when nothing leaks).
#
#   scripts/load-test.sh [N] [LONG]     N = 10000 requests per concurrency,
#                                       LONG = 100000 for the RSS run (0: skip)
#   PROFILE=dev scripts/load-test.sh 200 0   a debug build (default: release)
#
# Each oha run is bounded by a count and by time (TIMEOUT seconds, 600); a
# request that takes over 10 s counts as failed. Targets on a 2-core machine:
# 0 failed, p99 < 50 ms at concurrency 32, throughput per core at least 80 %
# of the CLI batch's (scripts/bench-batch.sh), RSS flat.
# Needs python3 (to read oha's JSON). Honours CARGO_TARGET_DIR.
set -euo pipefail

n=${1:-10000}
long=${2:-100000}
timeout_s=${TIMEOUT:-600}
cd "$(dirname "$0")/.."

profile=${PROFILE:-release}
cargo build --quiet --profile "$profile" --bin recert
recert=${CARGO_TARGET_DIR:-target}/$([ "$profile" = dev ] && echo debug || echo "$profile")/recert
if ! command -v oha > /dev/null; then
  echo "oha not found: cargo install oha --locked" >&2
  cargo install --quiet oha --locked
fi

work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

RECERT_CACHE_DIR="$work/cache" "$recert" serve --listen 127.0.0.1:0 2> "$work/stderr" &
server=$!
for _ in $(seq 1 600); do
  grep -q 'listening on http://' "$work/stderr" && break
  kill -0 "$server" 2> /dev/null || { cat "$work/stderr" >&2; exit 1; }
  sleep 0.1
done
addr=$(sed -n 's/.*listening on http:\/\///p' "$work/stderr" | head -n 1)
[ -n "$addr" ] || { echo "the server did not start" >&2; cat "$work/stderr" >&2; exit 1; }
url="http://$addr/v1/evaluate?at=2026-12-01&format=json"
body=examples/eee-abs-housing.yaml
echo "recert serve (pid $server) on $addr; $(nproc) cores; POST $body, $n requests per run"

status() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$server/status"; }
# The server's CPU time so far, in clock ticks (utime + stime).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
ticks=$(getconf CLK_TCK)

# oha ARGS: runs, bounded by TIMEOUT, JSON to $work/oha.json.
load() {
  timeout "$timeout_s" oha --no-tui --output-format json -o "$work/oha.json" \
    -m POST -D "$body" -t 10s "$@" "$url"
}

summary() { # concurrency requests cpu_ticks_used
  python3 - "$work/oha.json" "$1" "$2" "$3" "$ticks" "$(nproc)" << 'PY'
import json, sys
path, c, n, used, hz, cores = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
r = json.load(open(path))
ok = r.get("statusCodeDistribution", {}).get("200", 0)
errors = sum(r.get("errorDistribution", {}).values())
failed = n - ok
rps = r["summary"]["requestsPerSec"]
lat = r["latencyPercentiles"]
cpu_us = used / hz * 1e6 / max(ok, 1)
print(f"  c={c:<3} {rps:8.0f} req/s ({rps / cores:.0f}/s per core)  p50 {lat['p50'] * 1e3:6.2f} ms  "
      f"p99 {lat['p99'] * 1e3:6.2f} ms  failed {failed} (errors {errors})  server CPU {cpu_us:.0f} us/request")
PY
}

# Warm up: the first requests fill caches and start the pool's threads.
load -n 200 -c 8 > /dev/null
for c in 1 8 32; do
  before=$(cpu_ticks)
  load -n "$n" -c "$c"
  summary "$c" "$n" $(( $(cpu_ticks) - before ))
done
echo "  peak RSS (VmHWM) $(status VmHWM) kB, RSS now $(status VmRSS) kB"

if [ "$long" -gt 0 ]; then
  # RSS over many requests: after the first 10 000, then after LONG in all.
  load -n 10000 -c 8
  rss_10k=$(status VmRSS)
  before=$(cpu_ticks)
  load -n $(( long - 10000 )) -c 8
  summary 8 $(( long - 10000 )) $(( $(cpu_ticks) - before ))
  rss_long=$(status VmRSS)
  echo "  RSS after 10000 requests: $rss_10k kB; after $long: $rss_long kB; peak (VmHWM) $(status VmHWM) kB"
fi
