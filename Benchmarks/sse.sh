#!/usr/bin/env bash
# Measures the SSE feed of `upman serve` (GET /api/v1/events) on 127.0.0.1, data on tmpfs, no jobs.
# Events are made with `createGroup` (one transaction, one `group` event per call), which every
# upman version has. One server per binary runs three phases, then a replay server:
#   (a) made: 1 subscriber while wrk (16 connections, closed loop) calls createGroup: the events/s
#       the server makes, and the gaps that subscriber saw;
#   (b) fan-out: the same with 100 subscribers: events/s made, what each received, their sum, gaps,
#       reconnects, subscribers still behind after a 5 s drain;
#   (c) latency: 100 subscribers while a Python process paces createGroup at 1,000 calls/s:
#       commit-to-client p50/p99 over every event of 10 subscribers (receive time minus the
#       event's `updatedAt`, which the server stamps when the write is asked for);
#   replay: one client reads 100,000 events of a fixtures database with Last-Event-ID, beside
#       `sqlite3` reading the same rows (SELECT * FROM events ... ORDER BY id > /dev/null).
# The subscribers are Benchmarks/sse_load.py: asyncio raw sockets, all in one Python process. Its
# own ceiling is measured in the same run: 100 of them read a pre-written text/event-stream file
# of real group frames from nginx, and the events/s they parse is set beside what they got from upman.
# With UPMAN_BASELINE_BIN=path, that binary (an older build) runs the same phases first, and its
# figures stand in the anchor column ("old").
# Prints one table: workload, upman, anchor, ratio, target, pass/fail.
# Usage: Benchmarks/sse.sh [--quick]   (--quick: (a) 5 s, (b) and (c) 6 s each, instead of 10, 20, 20)
# UPMAN_BIN=path skips the build and measures that binary. BENCH_ROWS=file appends the rows as TSV.
# SSE_SUBSCRIBERS, SSE_RATE (of phase c), SSE_DURATION (of b and c), SSE_REPLAY, SSE_GROUPS
# override the sizes (smoke runs).
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/common.sh
bench="$PWD/Benchmarks"

subscribers=100
rate=1000
made_duration=10
duration=20
replay_count=100000
groups=1000
ceiling_events=20000
if [ "${1:-}" = "--quick" ]; then made_duration=5; duration=6; fi
# Overrides for smoke runs of the script itself.
subscribers=${SSE_SUBSCRIBERS:-$subscribers}; rate=${SSE_RATE:-$rate}; duration=${SSE_DURATION:-$duration}
replay_count=${SSE_REPLAY:-$replay_count}; groups=${SSE_GROUPS:-$groups}

need_commands sqlite3 curl bc wrk nginx:nginx-light
upman=$(upman_binary)

# The same fixtures database top.sh --quick writes (1,000 groups, ~220k events), cached in /tmp.
cache=/tmp/upman-bench-top-$groups.db
if [ ! -f "$cache" ]; then
    echo "writing the fixtures database ($groups groups × 10 files; cached in $cache)…" >&2
    timeout 600 "$upman" fixtures --out "$cache.tmp" --groups "$groups" --files-per-group 10 --seed 1 --force >/dev/null
    mv "$cache.tmp" "$cache"
fi

bench_setup sse

# live BINARY NAME: one fresh server and phases (a), (b), (c); their JSON in $work/NAME-{made,fanout,paced}.json.
live() {
    local binary=$1 name=$2 phase
    start_upman "$binary" "$name"
    fail_log="$work/$name.log"
    local common=(--port "$server_port" --token "$server_token" --server-pid "$server_pid")
    echo "sse: $name: (a) 1 subscriber, wrk createGroup for ${made_duration} s…" >&2
    timeout $((made_duration + 60)) python3 "$bench/sse_load.py" live "${common[@]}" --producer wrk \
        --subscribers 1 --sample 0 --duration "$made_duration" > "$work/$name-made.json" || fail "phase (a), $name"
    echo "sse: $name: (b) $subscribers subscribers, wrk createGroup for ${duration} s…" >&2
    timeout $((duration + 60)) python3 "$bench/sse_load.py" live "${common[@]}" --producer wrk \
        --subscribers "$subscribers" --sample 10 --duration "$duration" > "$work/$name-fanout.json" || fail "phase (b), $name"
    echo "sse: $name: (c) $subscribers subscribers, createGroup paced at $rate/s for ${duration} s…" >&2
    timeout $((duration + 60)) python3 "$bench/sse_load.py" live "${common[@]}" --producer paced --rate "$rate" \
        --subscribers "$subscribers" --sample 10 --duration "$duration" > "$work/$name-paced.json" || fail "phase (c), $name"
    stop_server "$server_pid"
    for phase in made fanout paced; do
        grep -q '"fatal"' "$work/$name-$phase.json" && fail "$name, $phase: $(head -c 600 "$work/$name-$phase.json")"
    done
    # A real group event, for the subscribers' ceiling below.
    sqlite3 "$work/$name/upman.db" "SELECT data FROM events WHERE kind = 'group' ORDER BY id DESC LIMIT 1" > "$work/frame.json"
    "$binary" check --data "$work/$name" >/dev/null 2>&1 || echo "warning: upman check failed for $name" >&2
    rm -rf "$work/$name"
    fail_log=""
}

# replay BINARY NAME: a copy of the fixtures database, the sweeper kept from its sessions; two
# reads of the last $replay_count events, the faster in $work/NAME-replay.json.
replay() {
    local binary=$1 name=$2 run s best=""
    mkdir -p "$work/$name-replay"
    cp "$cache" "$work/$name-replay/upman.db"
    start_upman "$binary" "$name-replay" --session-ttl 87600h
    echo "sse: $name: replay of $replay_count events, twice…" >&2
    for run in 1 2; do
        timeout 150 python3 "$bench/sse_load.py" replay --port "$server_port" --token "$server_token" --server-pid "$server_pid" \
            --after "$after" --count "$replay_count" > "$work/$name-replay-$run.json" || fail "replay load ($name)"
        [ "$(field "$work/$name-replay-$run.json" complete)" = "True" ] || fail "replay did not finish: $(cat "$work/$name-replay-$run.json")"
        s=$(field "$work/$name-replay-$run.json" seconds)
        if [ -z "$best" ] || [ "$(echo "$s < $(field "$best" seconds)" | bc -l)" = 1 ]; then best="$work/$name-replay-$run.json"; fi
    done
    cp "$best" "$work/$name-replay.json"
    # Let the server finish its shutdown (it checkpoints the WAL) before anyone else opens the file.
    stop_server "$server_pid"
}
field() { python3 -c 'import json, sys; v = json.load(open(sys.argv[1])); [v := v[k] for k in sys.argv[2].split(".")]; print(v if v is not None else "n/a")' "$1" "$2"; }

names=()
if [ -n "${UPMAN_BASELINE_BIN:-}" ]; then
    live "$UPMAN_BASELINE_BIN" baseline
    names+=(baseline)
fi
live "$upman" upman
names+=(upman)

# --- the subscribers' own ceiling: the same code reading a static stream from nginx ------------
python3 "$bench/sse_load.py" write-stream --frame-data "$work/frame.json" --events "$ceiling_events" \
    --out "$work/stream.txt" > "$work/stream.json"
start_nginx nginx "location = /api/v1/events { default_type text/event-stream; alias $work/stream.txt; }"
echo "sse: subscriber ceiling: $subscribers × $ceiling_events events from nginx…" >&2
timeout 150 python3 "$bench/sse_load.py" ceiling --port "$nginx_port" --subscribers "$subscribers" --sample 10 \
    --timeout 120 > "$work/ceiling.json" || fail "ceiling load"
stop_server "$nginx_pid"
[ "$(field "$work/ceiling.json" complete)" = "True" ] || fail "the ceiling run did not read every event: $(cat "$work/ceiling.json")"

# --- replay ----------------------------------------------------------------------------------
latest=$(sqlite3 "$cache" "SELECT max(id) FROM events")
[ "$latest" -ge "$replay_count" ] || fail "the fixtures database holds $latest events, fewer than $replay_count"
after=$((latest - replay_count))
rows=$(sqlite3 "$cache" "SELECT count(*) FROM events WHERE id > $after")
for name in "${names[@]}"; do
    if [ "$name" = baseline ]; then replay "$UPMAN_BASELINE_BIN" baseline; else replay "$upman" upman; fi
done
sqlite_s=""
for run in 1 2; do
    t0=$(now); sqlite3 -cmd ".timeout 10000" "$work/upman-replay/upman.db" "SELECT * FROM events WHERE id > $after ORDER BY id" > /dev/null; t1=$(now)
    s=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$sqlite_s" ] || [ "$(echo "$s < $sqlite_s" | bc -l)" = 1 ]; then sqlite_s=$s; fi
done

# --- table ------------------------------------------------------------------------------------
python3 - "$work" "$sqlite_s" "$rows" "$replay_count" "$rate" "$subscribers" "$made_duration" "$duration" "$(nproc)" \
    "${UPMAN_BASELINE_BIN:-}" <<'PY'
import datetime, json, os, sys
work, sqlite_s, rows, replay_count, rate, subs, made_s, dur, cores, baseline = sys.argv[1:11]
sqlite_s, rows, replay_count, rate, subs = float(sqlite_s), int(rows), int(replay_count), float(rate), int(subs)
def load(name):
    path = os.path.join(work, name + ".json")
    return json.load(open(path)) if os.path.exists(path) else None
new = {p: load(f"upman-{p}") for p in ("made", "fanout", "paced", "replay")}
old = {p: load(f"baseline-{p}") for p in ("made", "fanout", "paced", "replay")} if baseline else None
ceiling = load("ceiling")
rows_file = os.environ.get("BENCH_ROWS")
FORMAT = "%-52s %12s %20s %6s %12s %6s"
def row(*cells):
    print(FORMAT % cells)
    if rows_file:
        with open(rows_file, "a") as f:
            f.write("sse\t" + "\t".join(cells) + "\n")
def fmt(v, digits=0):
    return "n/a" if v is None else f"{v:.{digits}f}"
def judged(ok):
    return "pass" if ok else "FAIL"
def anchor(phase, key, digits=0):
    return "-" if not old else fmt(old[phase][key], digits) + " old"
def ratio(phase, key):
    if not old or not old[phase][key] or new[phase][key] is None:
        return "-"
    return f"{new[phase][key] / old[phase][key]:.2f}"
def problems(r):
    return f"{r['gaps']}/{r['duplicates']}/{r['reconnects']}/{r['behind_at_end']}/{r['producer'].get('errors', 'n/a')}"
def clean(r):
    return r["gaps"] + r["duplicates"] + r["reconnects"] + r["behind_at_end"] + (r["producer"].get("errors") or 0) == 0

print()
print(f"upman SSE feed — {datetime.date.today()}, {cores} cores; events made by createGroup (1 event per call); "
      f"(a) {made_s} s, (b) and (c) {dur} s each; replay of {replay_count} events")
print("subscribers: Benchmarks/sse_load.py, asyncio raw sockets, all in one Python process"
      + (f"; anchor \"old\": {baseline}, same phases in the same run" if baseline else ""))
print(FORMAT % ("workload", "upman", "anchor", "ratio", "target", "result"))
m, f, p = new["made"], new["fanout"], new["paced"]
row("(a) events/s made, 1 subscriber (wrk, 16 conn.)", fmt(m["made_rate"]), anchor("made", "made_rate"), ratio("made", "made_rate"),
    "≥ 5000", judged(m["made_rate"] >= 5000))
row("(a) gaps/dups/reconnects/behind/prod. errors", problems(m), "-" if not old else problems(old["made"]) + " old", "-",
    "0/0/0/0/0", judged(clean(m)))
row(f"(b) events/s made, {subs} subscribers", fmt(f["made_rate"]), anchor("fanout", "made_rate"), ratio("fanout", "made_rate"),
    "≥ 5000", judged(f["made_rate"] >= 5000))
row(f"(b) events/s per subscriber, min of {subs}", fmt(f["per_subscriber_rate_min"]), anchor("fanout", "per_subscriber_rate_min"),
    ratio("fanout", "per_subscriber_rate_min"), "≥ 0.95×made", judged(f["per_subscriber_rate_min"] >= 0.95 * f["made_rate"]))
row(f"(b) events/s received, sum of {subs}, vs their ceiling", fmt(f["delivered_rate"]), fmt(ceiling["events_per_s"]) + " ceiling",
    f"{f['delivered_rate'] / ceiling['events_per_s']:.2f}", "-", "-")
row(f"(b) gaps/dups/reconnects/behind/prod. errors", problems(f), "-" if not old else problems(old["fanout"]) + " old", "-",
    "0/0/0/0/0", judged(clean(f)))
row(f"(c) events/s made, {rate:.0f} offered, {subs} subscribers", fmt(p["made_rate"]), anchor("paced", "made_rate"), "-",
    f"≥ {0.95 * rate:.0f}", judged(p["made_rate"] >= 0.95 * rate))
row(f"(c) commit→client p50 (ms, {p['latency_events']} ev)", fmt(p["latency_p50_ms"], 1), anchor("paced", "latency_p50_ms", 1), "-", "-", "-")
row("(c) commit→client p99 (ms)", fmt(p["latency_p99_ms"], 1), anchor("paced", "latency_p99_ms", 1), "-", "< 50",
    judged(p["latency_p99_ms"] is not None and p["latency_p99_ms"] < 50))
row("(c) gaps/dups/reconnects/behind/prod. errors", problems(p), "-" if not old else problems(old["paced"]) + " old", "-",
    "0/0/0/0/0", judged(clean(p)))
sqlite_eps = rows / sqlite_s
r = new["replay"]
row(f"replay {replay_count} events (s)", fmt(r["seconds"], 2), f"{sqlite_s:.2f} sqlite3", "-", "-", "-")
row("replay events/s", fmt(replay_count / r["seconds"]), f"{sqlite_eps:.0f} sqlite3", f"{replay_count / r['seconds'] / sqlite_eps:.2f}", "-", "-")
if old:
    o = old["replay"]
    row("replay events/s, old binary", fmt(replay_count / o["seconds"]), f"{sqlite_eps:.0f} sqlite3",
        f"{replay_count / o['seconds'] / sqlite_eps:.2f}", "-", "-")

print(f"subscriber ceiling: {subs} subscribers read {ceiling['events_per_subscriber']} events each from nginx "
      f"(a file of real group frames) at {ceiling['events_per_s']:.0f} events/s in all "
      f"({ceiling['events_per_s'] / subs:.0f} each), using {ceiling['client_cpu_share']:.2f} of a core")
for name, runs in (("upman", new), ("old", old)):
    if not runs:
        continue
    for phase in ("made", "fanout", "paced"):
        x = runs[phase]
        pr = x["producer"]
        print(f"{name} ({phase}): producer {pr.get('calls')} calls, round trip p50 {fmt(pr.get('call_p50_ms'), 1)} ms, "
              f"p99 {fmt(pr.get('call_p99_ms'), 1)} ms; commit→client p50 {fmt(x['latency_p50_ms'], 1)} ms, "
              f"p99 {fmt(x['latency_p99_ms'], 1)} ms; cpu share (1.0 = one core): server {fmt(x['server_cpu_share'], 2)}, "
              f"subscribers {fmt(x['client_cpu_share'], 2)}, producer {fmt(x['producer_cpu_share'], 2)}")
    rr = runs["replay"]
    print(f"{name} (replay): cpu share server {fmt(rr['server_cpu_share'], 2)}, client {fmt(rr['client_cpu_share'], 2)}")
PY
