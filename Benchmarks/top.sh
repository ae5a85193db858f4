#!/usr/bin/env bash
# Measures the dashboard (`upman top`) in a real terminal (tmux, 200×60) on a fixtures database
# of 10,000 groups / 100,000 files / ~1.4 million parts, with a real `upman serve` on it:
#   - time to first frame (process start → first frame on screen, from `--trace`);
#   - key-to-frame time (p50, p99) over 300 key presses made while events arrive;
#   - event-to-screen latency (the event's commit stamp → frame, p50, p99; and the part of it
#     from the event's arrival from the feed → frame) while two `upman put` upload 600 small
#     files at once and wrk (8 connections) creates groups for 12 s, with the event rate
#     of that burst;
#   - peak RSS, and peak RSS on a database with 10× the groups (100,000 groups of one file) after
#     walking to its last group (memory must stay flat);
#   - CPU time and bytes written to the terminal over 60 s idle once every age on screen is past
#     a minute, beside htop at its default delay in the same run.
# The same run measures the old binary ($UPMAN_BASELINE_BIN, when set) the same way, for before/after.
# Prints one table: workload, upman, anchor, ratio, target, pass/fail.
# Usage: Benchmarks/top.sh [--quick]   (--quick: 1,000 groups, 20 s idle)
# UPMAN_BIN=path skips the build and measures that binary. BENCH_ROWS=file appends the rows as TSV.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/common.sh

groups=10000
idle=60
settle=70
if [ "${1:-}" = "--quick" ]; then groups=1000; idle=20; settle=65; fi

need_commands tmux htop wrk

upman=$(upman_binary)
old=${UPMAN_BASELINE_BIN:-}

fixture() {  # fixture GROUPS FILES_PER_GROUP → path of a cached fixtures database
    local path=/tmp/upman-bench-top-$1.db
    [ "$2" = 10 ] || path=/tmp/upman-bench-top-$1x$2.db
    if [ ! -f "$path" ]; then
        echo "writing the fixtures database ($1 groups × $2 files; takes minutes once, then cached in $path)…" >&2
        "$upman" fixtures --out "$path.tmp" --groups "$1" --files-per-group "$2" --seed 1 --force >/dev/null
        mv "$path.tmp" "$path"
    fi
    echo "$path"
}
# settled FIXTURE: the fixtures database after a server has done the work it finds waiting
# (queued jobs of objects that are not in storage fail, idle sessions expire): served until its
# event log stayed quiet for 20 s (at most 40 min, once), then cached beside it. The dashboard is
# measured beside a live server with nothing left to do, so "idle" means idle.
settled() {
    local path=${1%.db}-settled.db
    if [ ! -f "$path" ]; then
        local bin=${UPMAN_BASELINE_BIN:-$upman} dir
        dir=$(mktemp -d /tmp/upman-bench-settle.XXXXXX)
        cp "$1" "$dir/upman.db"
        echo "settling $1 (a server works off its queued jobs and expiries once; minutes)…" >&2
        UPMAN_RECONCILE_GRACE=3650d UPMAN_SESSION_TTL=3650d "$bin" serve --data "$dir" --port "$(free_port)" > "$dir/serve.log" 2>&1 &
        local pid=$! last=-1 quiet=0
        for _ in $(seq 1200); do grep -q "listening on" "$dir/serve.log" 2>/dev/null && break; sleep 0.5; done
        for _ in $(seq 2400); do
            sleep 1
            local id; id=$(sqlite3 "$dir/upman.db" "SELECT max(id) FROM events" 2>/dev/null || echo "$last")
            if [ "$id" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; last=$id; fi
            [ "$quiet" -ge 20 ] && break
        done
        kill "$pid"; wait "$pid" 2>/dev/null || true
        sqlite3 "$dir/upman.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
        mv "$dir/upman.db" "$path"
        rm -rf "$dir"
    fi
    echo "$path"
}
need_commands sqlite3
cache=$(settled "$(fixture "$groups" 10)")
big=$(settled "$(fixture $((groups * 10)) 1)")

work=$(mktemp -d /tmp/upman-bench-top.XXXXXX)
sock="upman-bench-$$"
server_pid=""
cleanup() {
    tmux -L "$sock" kill-server 2>/dev/null || true
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
wchar() { awk '/^wchar/ { print $2 }' "/proc/$1/io"; }
pct() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } i = int((NR - 1) * p / 100) + 1; print v[i] }'; }
hz=$(getconf CLK_TCK)

mkdir -p "$work/files1" "$work/files2"
for i in $(seq 300); do head -c 16384 /dev/urandom > "$work/files1/f$i.bin"; head -c 16384 /dev/urandom > "$work/files2/g$i.bin"; done

# serve BINARY DB: a server on a copy of DB (migrated by that binary); sets url, data.
serve() {
    [ -n "$server_pid" ] && { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
    data="$work/data"
    rm -rf "$data"; mkdir -p "$data"
    cp "$2" "$data/upman.db"
    local port; port=$(free_port)
    # The fixtures' open sessions have no bytes in storage: with the default grace the reconciler
    # would expire a batch of them every minute, and nothing would ever be idle.
    UPMAN_RECONCILE_GRACE=3650d UPMAN_SESSION_TTL=3650d "$1" serve --data "$data" --port "$port" > "$work/serve.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 600); do grep -q "http://" "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
    url="http://127.0.0.1:$port"
    # The start-up pass (reconciling, sweeping) writes a few events; measure once it is quiet.
    local last=-1 quiet=0 id
    for _ in $(seq 120); do
        id=$(sqlite3 "$data/upman.db" "SELECT max(id) FROM events" 2>/dev/null || echo "$last")
        if [ "$id" = "$last" ]; then quiet=$((quiet + 1)); else quiet=0; last=$id; fi
        [ "$quiet" -ge 3 ] && break
        sleep 1
    done
}

# start_top BINARY WINDOW: `BINARY top` in a tmux window; sets top_pid, trace.
start_top() {
    trace="$work/trace-$2.log"
    : > "$trace"
    if tmux -L "$sock" has-session -t bench 2>/dev/null; then
        tmux -L "$sock" new-window -t bench -n "$2" \
            "exec env TERM=tmux-256color LANG=C.UTF-8 $1 top --data $data --server $url --trace $trace; sleep 600"
    else
        tmux -L "$sock" new-session -d -x 200 -y 60 -s bench -n "$2" \
            "exec env TERM=tmux-256color LANG=C.UTF-8 $1 top --data $data --server $url --trace $trace; sleep 600"
    fi
    for _ in $(seq 400); do grep -q "first-frame" "$trace" 2>/dev/null && break; sleep 0.05; done
    top_pid=$(pgrep -f -- "^$1 top --data $data" | head -1)
    for _ in $(seq 100); do tmux -L "$sock" capture-pane -p -t "bench:$2" | grep -q "● live" && break; sleep 0.1; done
}

stop_top() { kill "$top_pid" 2>/dev/null || true; tmux -L "$sock" kill-window -t "bench:$1" 2>/dev/null || true; }

keys=(Down Down j j Down PageDown Up k Tab Down Tab Down Tab Down BTab BTab BTab G g Down)

# measure LABEL BINARY: every figure of one binary on the 10,000-group database.
measure() {
    local label=$1 bin=$2
    echo "[$label] first frame, keys and events…" >&2
    serve "$bin" "$cache"
    start_top "$bin" "$label"
    local first; first=$(awk '/^first-frame/ { print $2; exit }' "$trace")
    local t0 t1 id0 id1
    id0=$(sqlite3 "$data/upman.db" "SELECT max(id) FROM events")
    t0=$(now)
    "$bin" put "$work/files1" --server "$url" --data "$data" --json > /dev/null &
    local put1=$!
    "$bin" put "$work/files2" --server "$url" --data "$data" --json > /dev/null &
    local put2=$!
    # New groups through the controller from 8 wrk connections: the burst of events (about 1,000/s here).
    cat > "$work/create.lua" <<LUA
counter = 0
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $(cat "$data/admin.token")"
wrk.headers["Content-Type"] = "application/json"
request = function()
    counter = counter + 1
    return wrk.format(nil, "/api/v1/controller", nil, '{"action":"createGroup","name":"burst-' .. counter .. '"}')
end
LUA
    wrk -t1 -c8 -d12s -s "$work/create.lua" "$url" > "$work/wrk.txt" 2>&1 &
    local burst=$!
    for _ in $(seq 15); do
        for key in "${keys[@]}"; do tmux -L "$sock" send-keys -t "bench:$label" "$key"; sleep 0.03; done
    done
    wait "$burst" || true
    local burst_end; burst_end=$(now)
    id1=$(sqlite3 "$data/upman.db" "SELECT max(id) FROM events")
    wait "$put1" || echo "[$label] the first upman put ended with an error" >&2
    wait "$put2" || echo "[$label] the second upman put ended with an error" >&2
    t1=$(now)
    sleep 2
    grep -o 'key=[0-9.]*' "$trace" | cut -d= -f2 > "$work/keys.txt"
    grep -o 'event-ms=[0-9.,]*' "$trace" | cut -d= -f2 | tr ',' '\n' > "$work/events.txt"
    grep -o 'arrival-ms=[0-9.,]*' "$trace" | cut -d= -f2 | tr ',' '\n' > "$work/arrivals.txt"
    local event_count; event_count=$(wc -l < "$work/events.txt")
    eval "${label}_first=$first"
    eval "${label}_key50=$(pct 50 < "$work/keys.txt") ${label}_key99=$(pct 99 < "$work/keys.txt") ${label}_keys=$(wc -l < "$work/keys.txt")"
    eval "${label}_ev50=$(pct 50 < "$work/events.txt") ${label}_ev99=$(pct 99 < "$work/events.txt") ${label}_evn=$event_count"
    eval "${label}_ar50=$(pct 50 < "$work/arrivals.txt") ${label}_ar99=$(pct 99 < "$work/arrivals.txt")"
    # The rate over the burst (while wrk ran): events the server committed, all sent to the dashboard.
    eval "${label}_rate=$(echo "($id1 - $id0) / ($burst_end - $t0)" | bc)"
    echo "[$label] idle: waiting ${settle} s for every age to pass a minute, then ${idle} s beside htop…" >&2
    tmux -L "$sock" send-keys -t "bench:$label" g
    tmux -L "$sock" new-window -t bench -n "htop-$label" "env TERM=tmux-256color htop; sleep 600"
    sleep 2
    local htop_pid; htop_pid=$(pgrep -n -x htop)
    # Show the htop window, then the dashboard's again: both draw into panes of the same size.
    sleep "$settle"
    local c0 w0 h0 c1 w1 h1
    c0=$(cpu_ticks "$top_pid"); w0=$(wchar "$top_pid"); h0=$(cpu_ticks "$htop_pid")
    sleep "$idle"
    c1=$(cpu_ticks "$top_pid"); w1=$(wchar "$top_pid"); h1=$(cpu_ticks "$htop_pid")
    eval "${label}_cpu=$(echo "scale=0; ($c1 - $c0) * 1000 / $hz" | bc) ${label}_htop=$(echo "scale=0; ($h1 - $h0) * 1000 / $hz" | bc)"
    eval "${label}_bytes=$((w1 - w0))"
    eval "${label}_rss=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$top_pid/status")"
    kill "$htop_pid" 2>/dev/null || true
    stop_top "$label"
    tmux -L "$sock" kill-window -t "bench:htop-$label" 2>/dev/null || true
    echo "[$label] 10× the groups: first frame and memory after walking to the last group…" >&2
    serve "$bin" "$big"
    start_top "$bin" "$label-big"
    eval "${label}_bigfirst=$(awk '/^first-frame/ { print $2; exit }' "$trace")"
    for key in G PageUp PageUp g PageDown PageDown G; do tmux -L "$sock" send-keys -t "bench:$label-big" "$key"; sleep 0.3; done
    sleep 1
    eval "${label}_bigrss=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$top_pid/status")"
    stop_top "$label-big"
}

measure new "$upman"
if [ -n "$old" ]; then measure old "$old" || echo "measuring the old binary failed; its column shows n/a" >&2; fi

row() {
    printf "%-40s %12s %12s %8s %12s %6s\n" "$@"
    if [ -n "${BENCH_ROWS:-}" ] && [ "$2" != upman ]; then printf 'top\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$BENCH_ROWS"; fi
}
ratio() { if [ "$2" = "0" ] || [ "$2" = "n/a" ] || [ "$1" = "n/a" ]; then echo "-"; else echo "scale=2; $1 / $2" | bc; fi; }
verdict() { if [ "$(echo "$1" | bc)" = "1" ]; then echo pass; else echo FAIL; fi; }
echo
echo "upman top on $groups groups / $((groups * 10)) files, 200×60 terminal, $(date -u +%F), $(nproc) cores"
row "workload" "upman" "anchor" "ratio" "target" "result"
row "first frame (ms)" "$new_first" "-" "-" "< 250" "$(verdict "$new_first < 250")"
row "key to frame p50 (ms, $new_keys keys)" "$new_key50" "-" "-" "-" "-"
row "key to frame p99 (ms)" "$new_key99" "-" "-" "< 16" "$(verdict "$new_key99 < 16")"
row "events received per second" "$new_rate" "-" "-" ">= 1000" "$(verdict "$new_rate >= 1000")"
row "event to screen p50 (ms, $new_evn)" "$new_ev50" "-" "-" "-" "-"
row "event to screen p99 (ms)" "$new_ev99" "-" "-" "< 50" "$(verdict "$new_ev99 < 50")"
row "  of it, feed arrival to screen p50" "$new_ar50" "-" "-" "-" "-"
row "  of it, feed arrival to screen p99" "$new_ar99" "-" "-" "-" "-"
row "peak RSS (MB)" "$new_rss" "-" "-" "< 80" "$(verdict "$new_rss < 80")"
row "peak RSS, 10× the groups (MB)" "$new_bigrss" "$new_rss" "$(ratio "$new_bigrss" "$new_rss")" "flat (< 1.2)" "$(verdict "$new_bigrss < $new_rss * 1.2")"
row "first frame, 10× the groups (ms)" "$new_bigfirst" "-" "-" "< 250" "$(verdict "$new_bigfirst < 250")"
row "idle CPU over ${idle}s (ms) vs htop" "$new_cpu" "$new_htop" "$(ratio "$new_cpu" "$new_htop")" "<= 0.5" "$(verdict "$new_cpu <= $new_htop * 0.5")"
row "idle bytes written (${idle}s)" "$new_bytes" "-" "-" "0" "$(verdict "$new_bytes == 0")"
if [ -n "$old" ]; then
    echo
    echo "the same figures of the old binary ($old), measured in this run"
    row "workload" "new" "old" "new/old" "" ""
    for f in first key50 key99 rate ev50 ev99 ar50 ar99 rss bigrss bigfirst cpu bytes; do
        n=$(eval echo "\${new_$f:-n/a}"); o=$(eval echo "\${old_$f:-n/a}")
        row "$f" "$n" "$o" "$(ratio "$n" "$o")" "" ""
    done
    row "htop idle CPU (ms), anchor of each" "$new_htop" "${old_htop:-n/a}" "" "" ""
fi
