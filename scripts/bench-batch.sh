#!/usr/bin/env bash
# A batch benchmark anyone can run: generates N varied submissions (a third
# each electrical-electronic, packaging and battery, 10 components, varied
# dates and results), checks them with `recert check` as one batch (a JSON
# Lines stream, JSON Lines reports to /dev/null) and prints submissions per
# second, per second per core, CPU time per submission and peak RSS.
#
#   scripts/bench-batch.sh [N] [JOBS]        N = 2000, JOBS = 0 (all cores)
#   PROFILE=dev scripts/bench-batch.sh 200   a debug build (default: release)
#   STREAM=1 scripts/bench-batch.sh 1000000  the corpus generated into the
#                                            check through a pipe, never
#                                            written out (1 M submissions are
#                                            3 GB); the generator then shares
#                                            the cores, so read the peak RSS,
#                                            not the rate
#
# Needs GNU time (/usr/bin/time, Debian package `time`) for the peak RSS.
#
# Last measured (2-core machine loaded by other jobs, so read the CPU time and
# RSS, not the rates; --at 2031-06-01 runs the battery plugins):
#   10 000 from a file, -j 1: user 9.1-9.5 s, system 0.6 s, 32 MiB
#   10 000 from a file, -j 2: user 8.8-9.6 s, system 0.6 s, 37.5 MiB (the same
#     CPU as -j 1: nothing contended; before the plugin host reset memories in
#     place, -j 2 took 25 % more CPU than -j 1, most of it system time)
#   STREAM=1, -j 2: peak RSS 40.2 MiB at 10 000, 41.9 MiB at 100 000 and
#     42.1 MiB at 1 000 000 (+4.7 %)
# For the -j 2 / -j 1 throughput ratio on a quiet machine, alternate
#   scripts/bench-batch.sh 20000 1; scripts/bench-batch.sh 20000 2
# three times each and compare the median submissions/s. Measured on the
# quiet machine at an earlier state: -j 1 812, 732, 859; -j 2 1781, 1533,
# 1669 submissions/s: 2.06 x (the ratio of the medians). After the third
# rounds of loading and evaluation work (one core twice as fast), on the
# same machine with other tenants: -j 1 1729, 1672, 1601, 1678; -j 2 3140,
# 2740, 2907, 2899: 1.73 x. -j 2 takes 684 us of CPU per submission against
# 616 at -j 1, with no hot spot of its own in a profile (the same functions
# in the same shares), and keeps both cores busy.
#   STREAM=1, -j 2, at that state (run by hand: the generator piped into
#   recert check): peak RSS 42.2 MiB at 10 000, 44.3 MiB at 100 000 and
#   44.1 MiB at 1 000 000 (+4.6 %).
#   After the JSON writer wrote the findings itself and round 4 of loading
#   and evaluation, 20 000 from a file, that build and the one before run
#   alternately, three runs each (medians; machine shared with other
#   tenants, single runs swing by 10 %): -j 1 1229 -> 1582, -j 2 2345 ->
#   2837 submissions/s, CPU per submission at -j 1 818 -> 632 us; -j 2 /
#   -j 1 1.91 x before, 1.79 x after (1.78 x in a second set of three): -j 1
#   keeps 1.04 cores busy, -j 2 1.99, with 5-8 % more CPU per submission,
#   a share that weighs more as the rest gets cheaper. STREAM=1, -j 2, by hand: peak RSS 40.4 MiB at
#   10 000, 41.1 MiB at 100 000 and 42.1 MiB at 1 000 000 (+4.2 %). A
#   1 000 000 run starved of CPU by a build beside it peaked at 52.5 MiB,
#   not explained yet (the window holds at most 32 reports of about 210 KB
#   at -j 2, 7 MB).
# Writing the reports: a report is ~270 KB of JSON for a 4 KB submission,
# and serde_json's escaping of its strings (mostly the rules' fixed texts,
# again for every finding) was 12.7 % of the CPU in a profile. The JSON
# writer now writes the findings itself, each rule's texts escaped once.
# 4000 submissions from a file, -j 1, the old and new binaries run
# alternately five times each (/usr/bin/time, medians; shared machine):
# user 2.35 s -> 1.98 s (-16 %), wall 2.52 s -> 2.22 s, the same bytes out
# (cmp); -j 2, three runs each: user 2.42 s -> 2.08 s, wall 1.79 s ->
# 1.32 s. Instructions (callgrind, 500 submissions, -j 1): 4 013 M ->
# 2 876 M (-28 %), of which the JSON writer 1 423 M -> 296 M (a report made
# as a String and then checked for UTF-8 whole costs 52 M of those; writing
# the findings' texts as text to skip that check was tried and left out:
# -1.8 % for a second kind of writer). The corpus
# bench's check_and_render (pretty JSON; RECERT_BENCH_ROUNDS=1
# RECERT_BENCH_JOBS=check_and_render, callgrind --toggle-collect=
# 'corpus::jobs::*'): 1 404 M -> 639 M instructions for its 300
# submissions; RECERT_BENCH_ROUNDS=20, old and new alternately, three runs
# each: median per submission 483 -> 237 us, minimum 308 -> 150 us.
set -euo pipefail

n=${1:-2000}
jobs=${2:-0}
profile=${PROFILE:-release}
cd "$(dirname "$0")/.."

cargo build --quiet --profile "$profile" --bin recert
cargo build --quiet --profile "$profile" -p recert-engine --example batch_corpus
case "$profile" in
  dev | test) out=debug ;;
  release | bench) out=release ;;
  *) out=$profile ;;
esac
dir=${CARGO_TARGET_DIR:-target}/$out

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "${STREAM:-0}" = 1 ]; then
  echo "corpus: $n submissions, streamed"
else
  "$dir/examples/batch_corpus" "$n" > "$work/corpus.jsonl"
  echo "corpus: $n submissions, $(du -k "$work/corpus.jsonl" | cut -f1) KiB ($work/corpus.jsonl)"
fi

# Warm the compiled-plugin cache first, so that compiling is not measured.
"$dir/examples/batch_corpus" 3 | "$dir/recert" check - --jsonl --quiet --at 2031-06-01 > /dev/null || true
# The input: the file, or (STREAM=1) the generator's output on stdin.
input=$work/corpus.jsonl
generate() { cat "$input"; }
if [ "${STREAM:-0}" = 1 ]; then
  generate() { "$dir/examples/batch_corpus" "$n"; }
fi

cores=$jobs
if [ "$cores" = 0 ]; then cores=$(nproc); fi
set +e
generate | /usr/bin/time -f '%e %U %S %M' -o "$work/time" \
  "$dir/recert" check - --jsonl --format json --quiet -j "$jobs" \
  --at 2031-06-01 --summary "$work/summary.json" > /dev/null
code=${PIPESTATUS[1]}
set -e
if [ "$code" -gt 4 ]; then
  echo "recert check failed (exit $code)" >&2
  exit 1
fi
# GNU time says "Command exited with non-zero status N" first when a verdict is not pass.
read -r wall user sys rss < <(tail -n 1 "$work/time")
awk -v n="$n" -v wall="$wall" -v user="$user" -v sys="$sys" -v rss="$rss" -v cores="$cores" -v profile="$profile" 'BEGIN {
  if (wall <= 0) wall = 0.001
  printf "profile %s, -j %d: %d submissions in %.2f s\n", profile, cores, n, wall
  printf "  %.0f submissions/s, %.0f submissions/s per core\n", n / wall, n / wall / cores
  printf "  %.0f us of CPU per submission (user %.2f s, system %.2f s)\n", (user + sys) * 1e6 / n, user, sys
  printf "  peak RSS %.1f MiB\n", rss / 1024
}'
echo "  $(sed -n '/"verdicts"/,/}/p' "$work/summary.json" | tr -d ' \n')"
