#!/usr/bin/env bash
# A load test anyone can run: builds recert (release), starts `recert serve`
# on loopback with its default settings, sends the EEE example
# (examples/eee-abs-housing.yaml, JSON reports, --at 2026-12-01) to
# POST /v1/evaluate with oha (https://crates.io/crates/oha, installed with
# `cargo install oha --locked` when missing) at concurrency 1, 8 and 32, and
# compares it with the CLI's batch on the same input (N_CLI = 1000 copies of
# the example in a folder, `recert check DIR --format json --quiet -j 1`, the
# best of 3 runs).
#
#   scripts/load-test.sh [N] [LONG]     N = 10000 requests per concurrency,
#                                       LONG = 100000 requests in all for the
#                                       RSS run (0: skip it)
#   CARGO_TARGET_DIR=/path scripts/load-test.sh 10000 100000
#   PROFILE=dev scripts/load-test.sh 200 0   a debug build (default: release)
#   PIN=0 ...                           do not pin (default: pin when possible)
#
# Fair on a small machine where the load generator competes for the same
# cores: with `taskset` and at least 2 cores, the server runs on core 0 and
# oha on core 1, and the CLI batch runs on core 0 too; so "per core" is one
# pinned core for both, and the server's defaults follow (one evaluation slot
# on its one core, 64 waiting). Without pinning, per core is the run's
# requests/s over all cores. Note that pinned, at concurrency C each request
# waits for the C - 1 before it on one core: p99 >= C x the evaluation time
# (Little's law), e.g. ~60 ms at C = 32 and 1.9 ms per request.
#
# Prints one table row per run: requests/s, p50 and p99 latency, failed
# requests (anything but 200, and connection errors), the server's CPU time
# per request (utime + stime from /proc/PID/stat, before and after), the
# server's throughput on its core over the CLI's on one core, the CPU per
# request over the CLI's CPU per submission, and the server's RSS after the
# run with the number of requests it had answered by then; then the peak RSS.
# RSS is flat when the rows' RSS stays put from the first run to the last.
# The server answers the JSON report `recert check -` writes (indented); the
# batch writes one line per report: the server's rendering does a little more.
#
# Every oha run is bounded by a count and by time (TIMEOUT seconds, 600 each);
# a request that takes over 10 s counts as failed. Targets on a 2-core
# machine: 0 failed at every concurrency, p99 < 50 ms at concurrency 32,
# throughput per core at least 80 % of the CLI batch's, RSS flat.
# Needs python3 (to read oha's JSON) and GNU time (/usr/bin/time, Debian
# package `time`) for the CLI's CPU time.
set -euo pipefail

n=${1:-10000}
long=${2:-100000}
n_cli=${N_CLI:-1000}
timeout_s=${TIMEOUT:-600}
cd "$(dirname "$0")/.."

profile=${PROFILE:-release}
cargo build --quiet --profile "$profile" --bin recert
recert=${CARGO_TARGET_DIR:-target}/$([ "$profile" = dev ] && echo debug || echo "$profile")/recert
if ! command -v oha > /dev/null; then
  echo "oha not found: cargo install oha --locked" >&2
  cargo install --quiet oha --locked
fi
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time, Debian package time)" >&2; exit 1; }

work=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

body=examples/eee-abs-housing.yaml
at=2026-12-01
server_pin=()
load_pin=()
if [ "${PIN:-1}" != 0 ] && command -v taskset > /dev/null && [ "$(nproc)" -ge 2 ]; then
  server_pin=(taskset -c 0)
  load_pin=(taskset -c 1)
  pinning="pinned: server and CLI on core 0, oha on core 1 (taskset); per core = on core 0"
  server_cores=1
else
  pinning="not pinned (PIN=0, no taskset or one core): server, oha and CLI share $(nproc) cores; per core = over $(nproc) cores"
  server_cores=$(nproc)
fi
export RECERT_CACHE_DIR="$work/cache"

# The CLI's batch on the same input, on one (pinned) core: N_CLI copies.
mkdir "$work/batch"
for i in $(seq -w 1 "$n_cli"); do cp "$body" "$work/batch/$i.yaml"; done
"$recert" check "$body" --format json --quiet --at "$at" > /dev/null || true # warms the plugin cache
# The best of 3 runs (the shortest): a couple of seconds each, so one
# hiccup of a loaded machine would weigh on a single run.
for _ in 1 2 3; do
  set +e
  "${server_pin[@]}" /usr/bin/time -f '%e %U %S %M' -o "$work/cli.time" \
    "$recert" check "$work/batch" --format json --quiet -j 1 --at "$at" > /dev/null
  code=$?
  set -e
  if [ "$code" -gt 4 ]; then echo "recert check failed (exit $code)" >&2; exit 1; fi
  cat "$work/cli.time" >> "$work/cli.times"
done
read -r cli_wall cli_user cli_sys cli_rss < <(sort -n "$work/cli.times" | head -n 1)

"${server_pin[@]}" "$recert" serve --listen 127.0.0.1:0 2> "$work/stderr" &
server=$!
for _ in $(seq 1 600); do
  grep -q 'listening on http://' "$work/stderr" && break
  kill -0 "$server" 2> /dev/null || { cat "$work/stderr" >&2; exit 1; }
  sleep 0.1
done
addr=$(sed -n 's/.*listening on http:\/\///p' "$work/stderr" | head -n 1)
[ -n "$addr" ] || { echo "the server did not start" >&2; cat "$work/stderr" >&2; exit 1; }
url="http://$addr/v1/evaluate?at=$at&format=json"

status() { awk -v k="$1:" '$1 == k { print $2 }' "/proc/$server/status"; }
# The server's CPU time so far, in clock ticks (utime + stime).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
ticks=$(getconf CLK_TCK)
answered=0

# oha ARGS: runs, bounded by TIMEOUT, JSON to $work/oha.json.
load() {
  timeout "$timeout_s" "${load_pin[@]}" oha --no-tui --output-format json -o "$work/oha.json" \
    -m POST -D "$body" -t 10s "$@" "$url" > /dev/null
}

# run NAME CONCURRENCY REQUESTS: one load run and its table row.
run() {
  local before
  before=$(cpu_ticks)
  load -n "$3" -c "$2"
  answered=$((answered + $3))
  python3 - "$work/oha.json" "$1" "$2" "$3" $(($(cpu_ticks) - before)) "$ticks" "$server_cores" \
    "$n_cli" "$cli_wall" "$cli_user" "$cli_sys" "$(status VmRSS)" "$answered" << 'PY'
import json, sys
(path, name, c, n, used, hz, cores, n_cli, cli_wall, cli_user, cli_sys, rss, answered) = sys.argv[1:]
c, n, used, hz, cores, n_cli = int(c), int(n), int(used), int(hz), int(cores), int(n_cli)
r = json.load(open(path))
ok = r.get("statusCodeDistribution", {}).get("200", 0)
failed = n - ok
rps = r["summary"]["requestsPerSec"]
lat = r["latencyPercentiles"]
cpu_us = used / hz * 1e6 / max(ok, 1)
cli_per_core = n_cli / float(cli_wall)
cli_cpu_us = (float(cli_user) + float(cli_sys)) * 1e6 / n_cli
print(f"| {name:<8} | {c:>3} | {n:>7} | {rps:7.0f} | {lat['p50'] * 1e3:7.2f} | {lat['p99'] * 1e3:7.2f} | {failed:>6} "
      f"| {cpu_us:7.0f} | {rps / cores / cli_per_core * 100:5.0f} % | {cpu_us / cli_cpu_us:5.2f} x | {int(rss):>8} | {int(answered):>7} |")
PY
}

echo "recert serve (pid $server, default settings) on $addr; $(nproc) cores; $pinning"
echo "POST $body ?at=$at&format=json; $n requests per concurrency"
python3 - "$n_cli" "$cli_wall" "$cli_user" "$cli_sys" "$cli_rss" << 'PY'
import sys
n, wall, user, sys_, rss = int(sys.argv[1]), *map(float, sys.argv[2:5]), int(sys.argv[5])
print(f"CLI batch (best of 3): recert check DIR ({n} copies) --format json --quiet -j 1: {n / wall:.0f} submissions/s on one core, "
      f"CPU {(user + sys_) * 1e6 / n:.0f} us per submission, peak RSS {rss} kB")
PY
echo
echo "| run      |   c |    reqs |   req/s | p50 ms  | p99 ms  | failed | CPU us/req | tput vs CLI | CPU vs CLI | RSS kB   | answered |"
echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
# Warm up: the first requests fill the caches.
load -n 200 -c 8
answered=200
for c in 1 8 32; do
  run "c=$c" "$c" "$n"
done
if [ "$long" -gt "$answered" ]; then
  # RSS over many requests: the rest of LONG at concurrency 8.
  run "long" 8 $((long - answered))
fi
echo
echo "server peak RSS (VmHWM) $(status VmHWM) kB, RSS now $(status VmRSS) kB after $answered requests"
echo "tput vs CLI: the server's requests/s per core over the CLI's submissions/s on one core;"
echo "CPU vs CLI: the server's CPU per request over the CLI's per submission (1.00 x: no overhead)."
