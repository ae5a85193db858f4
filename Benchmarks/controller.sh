#!/usr/bin/env bash
# Measures the session controller under 1,000 concurrent multipart sessions from one process on
# 127.0.0.1: each session runs createGroup, initiate, signParts, a PUT of each part to its
# signed URL, complete and status on its own kept-alive connection, all started together.
# A session is the smallest valid multipart plan: one 5 MiB part and one 1 KiB last part
# (the server is started with multipart_threshold = 5 MiB so such a file is multipart; parts
# under 5 MiB but the last are refused). Data on tmpfs, no processing jobs.
# Reports p50/p99/max latency per action, the wall time and sessions/s, and the errors (target:
# none). With UPMAN_BASELINE_BIN=path, that binary (an older build) runs the same load in the same
# run, before the one under test, and its figures stand in the anchor column. Bounded: each load
# gives up after 110 s and counts whatever did not finish as errors.
# Prints one table: workload, upman, anchor, ratio, target, pass/fail.
# Usage: Benchmarks/controller.sh [--quick]   (--quick: 200 sessions)
# UPMAN_BIN=path skips the build and measures that binary. BENCH_ROWS=file appends the rows as TSV.
# CONTROLLER_SESSIONS overrides the number of sessions (smoke runs).
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/common.sh
bench="$PWD/Benchmarks"

sessions=1000
if [ "${1:-}" = "--quick" ]; then sessions=200; fi
sessions=${CONTROLLER_SESSIONS:-$sessions}

need_commands curl
# One process holds two connections per session.
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((2 * sessions + 100)) ] || ulimit -n $((2 * sessions + 100))

upman=$(upman_binary)
bench_setup controller

# measure BINARY NAME: one fresh server, the load, then `upman check`; the load's JSON in
# $work/NAME.json, the server's CPU seconds in $work/NAME.cpu. The stored bytes (5 GiB for 1,000
# sessions, on tmpfs) are removed after.
measure() {
    local binary=$1 name=$2
    UPMAN_MULTIPART_THRESHOLD=5MiB start_upman "$binary" "$name"
    echo "controller: $name: $sessions concurrent multipart sessions (5 MiB + 1 KiB each)…" >&2
    timeout 150 python3 "$bench/controller_load.py" --url "$server_url" --token "$server_token" \
        --sessions "$sessions" --timeout 110 > "$work/$name.json" || fail_log="$work/$name.log" fail "controller load ($name)"
    cpu_seconds "$server_pid" > "$work/$name.cpu"
    stop_server "$server_pid"
    "$binary" check --data "$work/$name" >/dev/null 2>&1 || echo "warning: upman check failed for $name" >&2
    rm -rf "$work/$name/storage"
}

if [ -n "${UPMAN_BASELINE_BIN:-}" ]; then
    measure "$UPMAN_BASELINE_BIN" baseline
fi
measure "$upman" upman

baseline_json=""; baseline_cpu=""
if [ -n "${UPMAN_BASELINE_BIN:-}" ]; then baseline_json="$work/baseline.json"; baseline_cpu=$(cat "$work/baseline.cpu"); fi
python3 - "$work/upman.json" "$(cat "$work/upman.cpu")" "$baseline_json" "$baseline_cpu" "$(nproc)" <<'PY'
import json, os, sys, datetime
r = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[3])) if sys.argv[3] else None
rows_file = os.environ.get("BENCH_ROWS")
def row(*cells):
    print("%-44s %12s %14s %7s %12s %6s" % cells)
    if rows_file:
        with open(rows_file, "a") as f:
            f.write("controller\t" + "\t".join(cells) + "\n")
def ms(v):
    return "n/a" if v is None else f"{v:.1f}"
def old(v):
    return "-" if b is None else f"{v} old"
n = r["sessions"]
rate = r["completed_sessions"] / r["wall_s"]
print()
print(f"upman session controller — {datetime.date.today()}, {sys.argv[5]} cores, {n} concurrent multipart sessions "
      f"(2 parts: {r['part_size'] >> 20} MiB + {r['size'] - r['part_size']} B) in {r['wall_s']:.1f} s")
if b:
    print(f"(anchor: the baseline binary {os.environ.get('UPMAN_BASELINE_BIN')}, the same load in the same run, before this one)")
else:
    print("(no external anchor; target: zero errors, p99 reported; UPMAN_BASELINE_BIN adds an older binary)")
print("%-44s %12s %14s %7s %12s %6s" % ("workload", "upman", "anchor", "ratio", "target", "result"))
for action, a in r["actions"].items():
    o = b["actions"][action] if b else None
    row(f"{action} p50 (ms, {a['count']} calls)", ms(a["p50_ms"]), old(ms(o["p50_ms"])) if o else "-", "-", "-", "-")
    row(f"{action} p99 (ms), max {ms(a['max_ms'])}", ms(a["p99_ms"]), old(ms(o["p99_ms"])) if o else "-", "-", "-", "-")
row(f"sessions completed of {n}", str(r["completed_sessions"]), old(b["completed_sessions"]) if b else "-", "-", str(n),
    "pass" if r["completed_sessions"] == n else "FAIL")
row("errors (all actions)", str(r["errors"]), old(b["errors"]) if b else "-", "-", "0", "pass" if r["errors"] == 0 else "FAIL")
row(f"wall time (s), {n} sessions", f"{r['wall_s']:.1f}", old(f"{b['wall_s']:.1f}") if b else "-", "-", "-", "-")
if b:
    old_rate = b["completed_sessions"] / b["wall_s"]
    ratio = f"{rate / old_rate:.2f}" if old_rate > 0 else "-"
    row("sessions/s (wall)", f"{rate:.0f}", old(f"{old_rate:.0f}"), ratio, "-", "-")
else:
    row("sessions/s (wall)", f"{rate:.0f}", "-", "-", "-", "-")
for name, x in (("upman", r), ("baseline", b)):
    if x and x["error_samples"]:
        print(f"errors ({name}):", json.dumps(x["error_samples"])[:600])
print(f"server CPU over its life: {float(sys.argv[2]):.1f} s"
      + (f"; baseline server: {float(sys.argv[4]):.1f} s" if b else ""))
PY
