#!/usr/bin/env bash
# Measures how fast `upman serve` records parts on a big session against small ones (issue #13:
# the rate on a 10,000-part session should be at least 0.9× the rate on a 10-part one), on
# 127.0.0.1 with data on tmpfs and no processing jobs:
#   (a) one session of 10,000 parts of 4 KiB,
#   (b) 1,000 sessions of 10 parts of 4 KiB (the same 10,000 parts in all);
# every session has a group of its own, so only the size of the session differs.
# A part counts as recorded when the PUT of its bytes to its signed URL is answered 200 (the
# embedded store's receiver records it UPLOADED before it answers). The server is started with
# --minimum-part-size 4KiB and multipart_threshold = 4 KiB so such parts can be planned (S3's 5 MiB
# minimum would need 50 GB for (a)). Sessions are created and signed before the clock starts; the
# clock runs while one curl process PUTs every part, 8 at once on kept-alive connections
# (`curl --parallel --parallel-max 8 -K FILE`, no Expect: 100-continue), session after session.
# The same curl run against nginx's WebDAV PUT (into tmpfs) is the client's own ceiling.
# Each workload gets a fresh server; with the full run each runs twice and the faster counts.
# Afterwards the database must hold every part UPLOADED and pass `upman check`.
# With UPMAN_BASELINE_BIN=path, that binary (an older build) is measured too when it has
# --minimum-part-size; when it does not (binaries before the setting), its rows say "-".
# Prints one table: workload, upman, anchor, ratio, target, pass/fail.
# Usage: Benchmarks/parts.sh [--quick]   (--quick: each workload once)
# UPMAN_BIN=path skips the build and measures that binary. BENCH_ROWS=file appends the rows as TSV.
# PARTS_TOTAL overrides the 10,000 parts (smoke runs; (b) stays sessions of 10).
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/common.sh
bench="$PWD/Benchmarks"

total=${PARTS_TOTAL:-10000}
small_parts=10
part_size=4096
concurrency=8
rounds=2
if [ "${1:-}" = "--quick" ]; then rounds=1; fi
[ $((total % small_parts)) -eq 0 ] || { echo "PARTS_TOTAL must be a multiple of $small_parts" >&2; exit 2; }

need_commands curl sqlite3 bc nginx:nginx-light
upman=$(upman_binary)
bench_setup parts

head -c "$part_size" /dev/urandom > "$work/part.bin"

# put_all CONFIG: PUTs every entry of the curl config, 8 at once (at most 10 minutes); prints
# "seconds answered_2xx other" (upman answers 200, nginx 201 Created).
put_all() {
    local t0 t1 codes ok
    t0=$(now)
    codes=$(timeout 600 curl -s --no-progress-meter --parallel --parallel-max "$concurrency" -H "Expect:" -w '%{http_code}\n' -K "$1" || true)
    t1=$(now)
    ok=$(grep -c '^2[0-9][0-9]$' <<<"$codes" || true)
    echo "$(echo "$t1 - $t0" | bc -l) $ok $(( $(grep -c . <<<"$codes" || true) - ok ))"
}

# measure BINARY NAME SESSIONS PARTS: a fresh server, SESSIONS × PARTS parts planned and signed,
# then the timed PUTs; appends "parts_per_s errors server_cpu_s" to $work/NAME.result and checks
# the database afterwards.
measure() {
    local binary=$1 name=$2 sessions=$3 parts=$4 run cpu0 cpu1 result
    run="$name-$sessions-$(date +%s%N)"
    UPMAN_MULTIPART_THRESHOLD=$part_size start_upman "$binary" "$run" --minimum-part-size "$part_size"
    fail_log="$work/$run.log"
    timeout 300 python3 "$bench/parts_plan.py" --port "$server_port" --token "$server_token" --sessions "$sessions" \
        --parts "$parts" --part-size "$part_size" --part-file "$work/part.bin" --out "$work/$run.curl" \
        > "$work/$run.plan.json" || fail "set-up of $sessions × $parts parts ($name)"
    echo "parts: $name: $sessions session(s) × $parts parts of $part_size B, $concurrency at once…" >&2
    cpu0=$(cpu_seconds "$server_pid")
    result=$(put_all "$work/$run.curl")
    cpu1=$(cpu_seconds "$server_pid")
    stop_server "$server_pid"
    set -- $result
    local seconds=$1 ok=$2 other=$3 recorded summed
    recorded=$(sqlite3 "$work/$run/upman.db" "SELECT count(*) FROM file_parts WHERE status = 'UPLOADED'")
    summed=$(sqlite3 "$work/$run/upman.db" "SELECT sum(completedParts) FROM upload_sessions")
    [ "$recorded" -eq "$ok" ] && [ "$summed" -eq "$ok" ] \
        || echo "warning: $name: $ok PUTs answered 200, the database holds $recorded parts UPLOADED, sessions count $summed" >&2
    "$binary" check --data "$work/$run" >/dev/null 2>&1 || echo "warning: upman check failed for $run" >&2
    echo "$(echo "$ok / $seconds" | bc -l) $((sessions * parts - ok)) $(echo "$cpu1 - $cpu0" | bc -l) $seconds" >> "$work/$name.result"
    rm -rf "$work/$run" "$work/$run.curl"
    fail_log=""
}

# best NAME: the fastest of NAME's runs, as "parts_per_s errors server_cpu_s seconds" (errors summed over runs).
best() {
    sort -g -r -k1,1 "$work/$1.result" | head -1 | awk -v errors="$(awk '{ e += $2 } END { print e }' "$work/$1.result")" \
        '{ print $1, errors, $3, $4 }'
}

# The client's ceiling: the same curl, the same 8 connections, the same 4 KiB bodies, into nginx's
# WebDAV PUT on tmpfs.
echo "parts: client ceiling, curl → nginx WebDAV, $total PUTs of $part_size B…" >&2
mkdir -p "$work/nginx-root"
chmod 777 "$work/nginx-root"
start_nginx nginx "location /put/ { root $work/nginx-root; dav_methods PUT; create_full_put_path on; client_max_body_size 0; }"
: > "$work/nginx.curl"
for ((i = 0; i < total; i++)); do
    printf 'url = "http://127.0.0.1:%s/put/p%05d"\nupload-file = "%s"\noutput = "/dev/null"\n' "$nginx_port" "$i" "$work/part.bin"
done > "$work/nginx.curl"
put_all "$work/nginx.curl" > "$work/nginx.result"
stop_server "$nginx_pid"
read -r nginx_s nginx_ok nginx_other < "$work/nginx.result"
[ "$nginx_ok" -eq "$total" ] || echo "warning: nginx answered $nginx_ok of $total PUTs with 2xx (others: $nginx_other)" >&2
nginx_rate=$(echo "$nginx_ok / $nginx_s" | bc -l)

binaries=("$upman upman")
baseline_note=""
if [ -n "${UPMAN_BASELINE_BIN:-}" ]; then
    if serve_supports "$UPMAN_BASELINE_BIN" --minimum-part-size; then
        binaries=("$UPMAN_BASELINE_BIN baseline" "${binaries[@]}")
    else
        baseline_note="the baseline binary ($UPMAN_BASELINE_BIN) has no --minimum-part-size: parts of 4 KiB cannot be planned there, so its rows are not measurable (-)"
        echo "parts: $baseline_note" >&2
    fi
fi
for entry in "${binaries[@]}"; do
    set -- $entry
    for ((round = 1; round <= rounds; round++)); do
        # Alternate the order between rounds, so neither workload always runs on a warmer machine.
        if [ $((round % 2)) -eq 1 ]; then
            measure "$1" "$2-big" 1 "$total"; measure "$1" "$2-small" $((total / small_parts)) "$small_parts"
        else
            measure "$1" "$2-small" $((total / small_parts)) "$small_parts"; measure "$1" "$2-big" 1 "$total"
        fi
    done
done

big=$(best upman-big); small=$(best upman-small)
baseline_big=""; baseline_small=""
if [ -f "$work/baseline-big.result" ]; then baseline_big=$(best baseline-big); baseline_small=$(best baseline-small); fi
python3 - "$big" "$small" "$nginx_rate" "$baseline_big" "$baseline_small" "$baseline_note" "$total" "$small_parts" \
    "$part_size" "$concurrency" "$rounds" "$(nproc)" "${UPMAN_BASELINE_BIN:-}" <<'PY'
import datetime, os, sys
big, small = [float(x) for x in sys.argv[1].split()], [float(x) for x in sys.argv[2].split()]
nginx = float(sys.argv[3])
old_big = [float(x) for x in sys.argv[4].split()] if sys.argv[4] else None
old_small = [float(x) for x in sys.argv[5].split()] if sys.argv[5] else None
note, total, per, size, conc, rounds, cores, baseline = sys.argv[6:14]
total, per, size = int(total), int(per), int(size)
rows_file = os.environ.get("BENCH_ROWS")
def row(*cells):
    print("%-48s %10s %18s %7s %10s %6s" % cells)
    if rows_file:
        with open(rows_file, "a") as f:
            f.write("parts\t" + "\t".join(cells) + "\n")
kib = f"{size // 1024} KiB" if size % 1024 == 0 else f"{size} B"
print()
print(f"upman part recording — {datetime.date.today()}, {cores} cores, {total} parts of {kib}, curl --parallel-max {conc}, "
      f"{'best of ' + rounds + ' runs' if rounds != '1' else 'one run'} per workload")
print("%-48s %10s %18s %7s %10s %6s" % ("workload", "upman", "anchor", "ratio", "target", "result"))
a_name = f"(a) parts/s, 1 session × {total} parts"
b_name = f"(b) parts/s, {total // per} sessions × {per} parts"
row(b_name, f"{small[0]:.0f}", f"{nginx:.0f} curl→nginx", f"{small[0] / nginx:.2f}", "-", "-")
row(a_name, f"{big[0]:.0f}", f"{nginx:.0f} curl→nginx", f"{big[0] / nginx:.2f}", "-", "-")
ratio = big[0] / small[0]
row(f"(a) vs (b): {total}-part vs {per}-part sessions", f"{big[0]:.0f}", f"{small[0]:.0f} (b)", f"{ratio:.2f}", "≥ 0.90",
    "pass" if ratio >= 0.90 else "FAIL")
errors = int(big[1] + small[1])
row("parts not answered 200, (a) + (b), all runs", str(errors), "-", "-", "0", "pass" if errors == 0 else "FAIL")
if baseline:
    if old_big and old_small:
        row(f"old binary: {b_name}", f"{old_small[0]:.0f}", f"{nginx:.0f} curl→nginx", f"{old_small[0] / nginx:.2f}", "-", "-")
        row(f"old binary: {a_name}", f"{old_big[0]:.0f}", f"{nginx:.0f} curl→nginx", f"{old_big[0] / nginx:.2f}", "-", "-")
        r = old_big[0] / old_small[0]
        row("old binary: (a) vs (b)", f"{old_big[0]:.0f}", f"{old_small[0]:.0f} (b)", f"{r:.2f}", "≥ 0.90", "pass" if r >= 0.90 else "FAIL")
    else:
        row(f"old binary: {b_name}", "-", "-", "-", "-", "-")
        row(f"old binary: {a_name}", "-", "-", "-", "-", "-")
        row("old binary: (a) vs (b)", "-", "-", "-", "-", "-")
print(f"client ceiling: the same curl PUTs {total} × {kib} into nginx WebDAV (tmpfs) at {nginx:.0f}/s; "
      f"upman reached {big[0] / nginx:.2f} (a) and {small[0] / nginx:.2f} (b) of it")
print(f"server CPU while the PUTs ran: (a) {big[2]:.1f} s over {big[3]:.1f} s, (b) {small[2]:.1f} s over {small[3]:.1f} s")
if note:
    print(note)
PY
