#!/usr/bin/env bash
# Measures the controller's write path: `createGroup` (one write transaction and one event per
# call) from wrk, 64 kept-alive connections, 2 threads, for 20 s, on 127.0.0.1. Anchors measured
# in the same run:
#   - nginx answering a static 200 to the same wrk (the HTTP ceiling of this client here),
#   - Python's sqlite3 writing the same rows (a group row and an event row) one transaction each,
#     in WAL mode with synchronous=NORMAL, as upman does.
# With UPMAN_BASELINE_BIN=path, that binary (an older build) is measured the same way in the same
# run, before the one under test, for a before/after row.
# Prints one table: workload, upman, anchor, ratio, target, pass/fail.
# Usage: Benchmarks/writes.sh [--quick]   (--quick: 6 s per load instead of 20 s)
# UPMAN_BIN=path skips the build and measures that binary. BENCH_ROWS=file appends the rows as TSV.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/common.sh

duration=20
if [ "${1:-}" = "--quick" ]; then duration=6; fi
connections=64

need_commands curl wrk nginx:nginx-light
upman=$(upman_binary)

bench_setup writes

# wrk's summary as "requests/s p99_ms errors": errors are socket errors plus non-2xx answers.
run_wrk() {
    local url=$1 script=$2 out
    out=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$script" "$url" 2>&1) || fail "wrk: $out"
    python3 Benchmarks/wrk_summary.py "$out"
}

# One upman server on tmpfs, no processing jobs; sets upman_result to "rate p99 errors cpu_seconds"
# for createGroup (not in a subshell, so that a failure still stops the server).
measure_upman() {
    local binary=$1 name=$2 out
    start_upman "$binary" "$name"
    cat > "$work/$name.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $server_token"
wrk.headers["Content-Type"] = "application/json"
counter = 0
request = function()
    counter = counter + 1
    return wrk.format(nil, "/api/v1/controller", nil, '{"action":"createGroup","name":"bench-' .. counter .. '"}')
end
LUA
    out=$(run_wrk "$server_url/api/v1/controller" "$work/$name.lua")
    upman_result="$out $(cpu_seconds "$server_pid")"
    stop_server "$server_pid"
    "$binary" check --data "$work/$name" >/dev/null 2>&1 || echo "warning: upman check failed for $name" >&2
}

echo "writes: nginx static 200 under wrk (${duration}s)…" >&2
start_nginx nginx 'location / { return 200 "{}"; }'
cat > "$work/nginx.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"action":"createGroup","name":"bench"}'
LUA
nginx_result=$(run_wrk "http://127.0.0.1:$nginx_port/" "$work/nginx.lua")
stop_server "$nginx_pid"

echo "writes: Python sqlite3, one transaction per row pair (${duration}s)…" >&2
sqlite_rate=$(python3 Benchmarks/sqlite_anchor.py "$work/anchor.db" "$duration")

baseline_result=""
if [ -n "${UPMAN_BASELINE_BIN:-}" ]; then
    echo "writes: baseline upman createGroup under wrk (${duration}s)…" >&2
    measure_upman "$UPMAN_BASELINE_BIN" baseline
    baseline_result=$upman_result
fi
echo "writes: upman createGroup under wrk (${duration}s)…" >&2
measure_upman "$upman" upman

python3 - "$nginx_result" "$sqlite_rate" "$upman_result" "$baseline_result" "$(nproc)" "$duration" "$connections" <<'PY'
import os, sys, datetime
nginx_rate, nginx_p99, _ = sys.argv[1].split()
sqlite_rate = float(sys.argv[2])
rate, p99, errors, cpu = sys.argv[3].split()
baseline = sys.argv[4].split() if sys.argv[4] else None
cpu = float(cpu)
rows_file = os.environ.get("BENCH_ROWS")
def row(*cells):
    print("%-48s %10s %10s %7s %10s %6s" % cells)
    if rows_file:
        with open(rows_file, "a") as f:
            f.write("writes\t" + "\t".join(cells) + "\n")
print()
print(f"upman write path — {datetime.date.today()}, {sys.argv[5]} cores, createGroup from wrk "
      f"(-t2 -c{sys.argv[7]} -d{sys.argv[6]}s)")
print("%-48s %10s %10s %7s %10s %6s" % ("workload", "upman", "anchor", "ratio", "target", "result"))
r = float(rate)
row("createGroup/s vs nginx static 200 (wrk)", f"{r:.0f}", nginx_rate, f"{r / float(nginx_rate):.2f}", "≥ 0.25", "pass" if r >= 0.25 * float(nginx_rate) else "FAIL")
row("createGroup/s vs sqlite3, 1 row pair per tx", f"{r:.0f}", f"{sqlite_rate:.0f}", f"{r / sqlite_rate:.2f}", "≥ 1.0", "pass" if r >= sqlite_rate else "FAIL")
row("createGroup p99 (ms) under that load", p99, nginx_p99, "-", "< 50", "pass" if float(p99) < 50 else "FAIL")
row("errors (socket + non-2xx)", errors, "-", "-", "0", "pass" if int(errors) == 0 else "FAIL")
if baseline:
    b = float(baseline[0])
    row("createGroup/s vs the baseline binary", f"{r:.0f}", f"{b:.0f}", f"{r / b:.2f}", "-", "-")
    row("createGroup p99 (ms) vs the baseline binary", p99, baseline[1], "-", "-", "-")
print(f"upman server CPU during its run: {cpu:.1f} s over {sys.argv[6]} s of load")
if baseline:
    print(f"baseline server CPU during its run: {float(baseline[3]):.1f} s")
PY
