#!/usr/bin/env bash
# Measures the SSE feed of `upman serve` (GET /api/v1/events), in one run on 127.0.0.1:
#   - fan-out: 100 subscribers while a producer records parts through the controller
#     (`partUploaded`: part, session and group events) at ~5,000 events/s: the rate reached,
#     commit-to-client latency p50/p99, events/s each subscriber received, gaps and reconnects.
#     There is no external anchor for this; the targets are printed beside the figures.
#   - replay: one client reads 100,000 events of a fixtures database with Last-Event-ID, beside
#     `sqlite3` reading the same rows (SELECT * FROM events ... ORDER BY id > /dev/null).
# Prints one table: workload, upman, anchor, ratio, target, pass/fail.
# Usage: Benchmarks/sse.sh [--quick]   (--quick: 6 s of fan-out instead of 20 s)
# UPMAN_BIN=path skips the build and measures that binary. BENCH_ROWS=file appends the rows as TSV.
# SSE_SUBSCRIBERS, SSE_RATE, SSE_DURATION, SSE_REPLAY, SSE_GROUPS override the sizes (smoke runs).
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/common.sh
bench="$PWD/Benchmarks"

subscribers=100
rate=5000
duration=20
replay_count=100000
groups=1000
if [ "${1:-}" = "--quick" ]; then duration=6; fi
# Overrides for smoke runs of the script itself.
subscribers=${SSE_SUBSCRIBERS:-$subscribers}; rate=${SSE_RATE:-$rate}; duration=${SSE_DURATION:-$duration}
replay_count=${SSE_REPLAY:-$replay_count}; groups=${SSE_GROUPS:-$groups}

need_commands sqlite3 curl bc

upman=$(upman_binary)

# The same fixtures database top.sh --quick writes (1,000 groups, ~220k events), cached in /tmp.
cache=/tmp/upman-bench-top-$groups.db
if [ ! -f "$cache" ]; then
    echo "writing the fixtures database ($groups groups × 10 files; cached in $cache)…" >&2
    timeout 300 "$upman" fixtures --out "$cache.tmp" --groups "$groups" --files-per-group 10 --seed 1 --force >/dev/null
    mv "$cache.tmp" "$cache"
fi

work=$(mktemp -d /dev/shm/upman-bench-sse.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "benchmark failed: $1" >&2; exit 1; }
now() { date +%s.%N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_up() { for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.1; done; fail "upman serve on port $1 did not start"; }
field() { python3 -c 'import json, sys; v = json.load(open(sys.argv[1])); [v := v[k] for k in sys.argv[2].split(".")]; print(v if v is not None else "n/a")' "$1" "$2"; }

# --- fan-out: a fresh server (data on tmpfs, no processing jobs) --------------------------------
port=$(free_port)
"$upman" serve --data "$work/fanout" --port "$port" --jobs "" --log-level warning >"$work/fanout.log" 2>&1 &
server=$!; pids+=($server)
wait_up "$port"
echo "fan-out: $subscribers subscribers, ${rate} events/s for ${duration} s…" >&2
timeout $((duration + 60)) python3 "$bench/sse_load.py" fanout --port "$port" --token "$(cat "$work/fanout/admin.token")" \
    --server-pid "$server" --subscribers "$subscribers" --rate "$rate" --duration "$duration" > "$work/fanout.json" \
    || fail "fan-out load"
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true

# --- replay: a copy of the fixtures database; the sweeper is kept from expiring its sessions -----
mkdir -p "$work/replay"
cp "$cache" "$work/replay/upman.db"
latest=$(sqlite3 "$work/replay/upman.db" "SELECT max(id) FROM events")
[ "$latest" -ge "$replay_count" ] || fail "the fixtures database holds $latest events, fewer than $replay_count"
after=$((latest - replay_count))
rows=$(sqlite3 "$work/replay/upman.db" "SELECT count(*) FROM events WHERE id > $after")
port=$(free_port)
"$upman" serve --data "$work/replay" --port "$port" --jobs "" --session-ttl 87600h --log-level warning >"$work/replay.log" 2>&1 &
server=$!; pids+=($server)
wait_up "$port"
token=$(cat "$work/replay/admin.token")
echo "replay of $rows events, twice each (upman, sqlite3); the faster run counts…" >&2
best_replay=""
for run in 1 2; do
    timeout 150 python3 "$bench/sse_load.py" replay --port "$port" --token "$token" --server-pid "$server" \
        --after "$after" --count "$replay_count" > "$work/replay-$run.json" || fail "replay load"
    [ "$(field "$work/replay-$run.json" complete)" = "True" ] || fail "replay did not finish: $(cat "$work/replay-$run.json")"
    s=$(field "$work/replay-$run.json" seconds)
    if [ -z "$best_replay" ] || [ "$(echo "$s < $(field "$best_replay" seconds)" | bc -l)" = 1 ]; then best_replay="$work/replay-$run.json"; fi
done
# Let the server finish its shutdown (it checkpoints the WAL) before sqlite3 opens the file.
kill "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
sqlite_s=""
for run in 1 2; do
    t0=$(now); sqlite3 -cmd ".timeout 10000" "$work/replay/upman.db" "SELECT * FROM events WHERE id > $after ORDER BY id" > /dev/null; t1=$(now)
    s=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$sqlite_s" ] || [ "$(echo "$s < $sqlite_s" | bc -l)" = 1 ]; then sqlite_s=$s; fi
done

# --- table ------------------------------------------------------------------------------------
f=$work/fanout.json
produced=$(field "$f" produced_rate); p50=$(field "$f" latency_p50_ms); p99=$(field "$f" latency_p99_ms)
sub_min=$(field "$f" per_subscriber_rate_min); sub_med=$(field "$f" per_subscriber_rate_median)
gaps=$(field "$f" gaps); reconnects=$(field "$f" reconnects); behind=$(field "$f" behind_at_end)
prod_errors=$(field "$f" producer.errors); lat_n=$(field "$f" latency_events)
replay_s=$(field "$best_replay" seconds)
upman_eps=$(echo "$replay_count / $replay_s" | bc -l); sqlite_eps=$(echo "$rows / $sqlite_s" | bc -l)
r_replay=$(echo "$upman_eps / $sqlite_eps" | bc -l)

fmt() { if [ "$1" = "n/a" ]; then echo n/a; else printf "%.${2}f" "$1"; fi; }
verdict() { if [ "$1" = "n/a" ]; then echo FAIL; elif [ "$(echo "$1" | bc -l)" = 1 ]; then echo pass; else echo FAIL; fi; }
vcmp() { if [ "$1" = "n/a" ]; then echo FAIL; else verdict "$1 $2"; fi; }
row() {
    printf "%-44s %12s %22s %7s %12s %6s\n" "$@"
    if [ -n "${BENCH_ROWS:-}" ]; then printf 'sse\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$BENCH_ROWS"; fi
}
echo
echo "upman SSE feed — $(date -u +%F), $(nproc) cores, $subscribers subscribers × ${rate} events/s target for ${duration} s; replay of $replay_count events"
echo "(fan-out has no external anchor: the targets are commit-to-client p99 < 50 ms at 100 subscribers × 5,000 events/s)"
printf "%-44s %12s %22s %7s %12s %6s\n" "workload" "upman" "anchor" "ratio" "target" "result"
least=$(echo "$rate * 0.95" | bc -l)
row "fan-out events/s produced" "$(fmt "$produced" 0)" "-" "-" "≥ $(fmt "$least" 0)" "$(vcmp "$produced" ">= $least")"
row "fan-out commit→client p50 (ms, $lat_n ev)" "$(fmt "$p50" 1)" "-" "-" "-" "-"
row "fan-out commit→client p99 (ms)" "$(fmt "$p99" 1)" "-" "-" "< 50" "$(vcmp "$p99" "< 50")"
row "fan-out events/s per subscriber (min)" "$(fmt "$sub_min" 0)" "-" "-" "≥ 0.95×made" "$(vcmp "$sub_min" ">= 0.95 * $produced")"
row "fan-out events/s per subscriber (median)" "$(fmt "$sub_med" 0)" "-" "-" "-" "-"
row "fan-out gaps/reconnects/behind/prod. errors" "$gaps/$reconnects/$behind/$prod_errors" "-" "-" "0/0/0/0" "$(verdict "$gaps + $reconnects + $behind + $prod_errors == 0")"
row "replay $replay_count events (s)" "$(fmt "$replay_s" 2)" "$(fmt "$sqlite_s" 2) sqlite3" "-" "-" "-"
row "replay events/s" "$(fmt "$upman_eps" 0)" "$(fmt "$sqlite_eps" 0) sqlite3" "$(fmt "$r_replay" 2)" "-" "-"
echo "producer: $(field "$f" producer.calls) partUploaded calls, round trip p50 $(fmt "$(field "$f" producer.call_p50_ms)" 1) ms, p99 $(fmt "$(field "$f" producer.call_p99_ms)" 1) ms (updatedAt is stamped when the write is asked for: under load the latency includes the wait for SQLite's writer)"
echo "cpu share during fan-out (1.0 = one core): server $(fmt "$(field "$f" server_cpu_share)" 2), subscribers' process $(fmt "$(field "$f" client_cpu_share)" 2), producer $(fmt "$(echo "$(field "$f" producer.cpu_seconds) / $(field "$f" window_s)" | bc -l)" 2)"
echo "cpu share during the replay: server $(fmt "$(field "$best_replay" server_cpu_share)" 2), client $(fmt "$(field "$best_replay" client_cpu_share)" 2)"
