#!/usr/bin/env bash
# Measures the session controller under 1,000 concurrent multipart sessions from one process on
# 127.0.0.1: each session runs createGroup, initiate, signParts, a PUT of each part to its
# signed URL, complete and status on its own kept-alive connection, all started together.
# A session is the smallest valid multipart plan: one 5 MiB part and one 1 KiB last part
# (the server is started with multipart_threshold = 5 MiB so such a file is multipart; parts
# under 5 MiB but the last are refused). Data on tmpfs, no processing jobs.
# Reports p50/p99/max latency per action and the errors (target: none). There is no external
# anchor. Bounded: the load gives up after 110 s and counts whatever did not finish as errors.
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

work=$(mktemp -d /dev/shm/upman-bench-controller.XXXXXX)
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "benchmark failed: $1" >&2; tail -5 "$work/serve.log" >&2 2>/dev/null || true; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

port=$(free_port)
UPMAN_MULTIPART_THRESHOLD=5MiB "$upman" serve --data "$work/data" --port "$port" --jobs "" --log-level warning \
    >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
[ -f "$work/data/admin.token" ] || fail "upman serve did not start"

echo "controller: $sessions concurrent multipart sessions (5 MiB + 1 KiB each)…" >&2
timeout 150 python3 "$bench/controller_load.py" --url "http://127.0.0.1:$port" --token "$(cat "$work/data/admin.token")" \
    --sessions "$sessions" --timeout 110 > "$work/result.json" || fail "controller load"
server_cpu=$(awk '{ print $14 + $15 }' "/proc/$server/stat")

python3 - "$work/result.json" "$server_cpu" "$(getconf CLK_TCK)" "$(nproc)" <<'PY'
import json, os, sys, datetime
r = json.load(open(sys.argv[1]))
rows_file = os.environ.get("BENCH_ROWS")
def row(*cells):
    print("%-44s %12s %14s %7s %12s %6s" % cells)
    if rows_file:
        with open(rows_file, "a") as f:
            f.write("controller\t" + "\t".join(cells) + "\n")
def ms(v):
    return "n/a" if v is None else f"{v:.1f}"
n = r["sessions"]
print()
print(f"upman session controller — {datetime.date.today()}, {sys.argv[4]} cores, {n} concurrent multipart sessions "
      f"(2 parts: {r['part_size'] >> 20} MiB + {r['size'] - r['part_size']} B) in {r['wall_s']:.1f} s")
print("(no external anchor; target: zero errors, p99 reported)")
print("%-44s %12s %14s %7s %12s %6s" % ("workload", "upman", "anchor", "ratio", "target", "result"))
for action, a in r["actions"].items():
    row(f"{action} p50 (ms, {a['count']} calls)", ms(a["p50_ms"]), "-", "-", "-", "-")
    row(f"{action} p99 (ms), max {ms(a['max_ms'])}", ms(a["p99_ms"]), "-", "-", "-", "-")
row(f"sessions completed of {n}", str(r["completed_sessions"]), "-", "-", str(n), "pass" if r["completed_sessions"] == n else "FAIL")
row("errors (all actions)", str(r["errors"]), "-", "-", "0", "pass" if r["errors"] == 0 else "FAIL")
row("sessions/s (wall)", f"{r['completed_sessions'] / r['wall_s']:.0f}", "-", "-", "-", "-")
if r["error_samples"]:
    print("errors:", json.dumps(r["error_samples"])[:600])
print(f"server CPU over its life: {int(sys.argv[2]) / int(sys.argv[3]):.1f} s")
PY
