#!/usr/bin/env bash
# Measures the dashboard (`upman top`) in a real terminal (tmux, 200×60) on a fixtures database
# of 10,000 groups / 100,000 files / ~1.4 million parts, with a real `upman serve` on it:
#   - time to first frame (process start → first frame on screen, from `--trace`);
#   - key-to-frame time over 300 key presses (p50, p99);
#   - event-to-screen latency (commit → frame) while `upman put` uploads files (p50, p99);
#   - peak RSS;
#   - CPU time and bytes written to the terminal over 60 s idle, beside htop at its default
#     delay in the same run.
# Prints one table: workload, upman, anchor, ratio, target, pass/fail.
# Usage: Benchmarks/top.sh [--quick]   (--quick: 1,000 groups and 20 s idle)
# UPMAN_BIN=path skips the build and measures that binary. BENCH_ROWS=file appends the rows as TSV.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/common.sh

groups=10000
idle=60
if [ "${1:-}" = "--quick" ]; then groups=1000; idle=20; fi

need_commands tmux htop

upman=$(upman_binary)

cache=/tmp/upman-bench-top-$groups.db
if [ ! -f "$cache" ]; then
    echo "writing the fixtures database ($groups groups × 10 files; takes minutes once, then cached in $cache)…" >&2
    "$upman" fixtures --out "$cache.tmp" --groups "$groups" --files-per-group 10 --seed 1 --force >/dev/null
    mv "$cache.tmp" "$cache"
fi

work=$(mktemp -d /tmp/upman-bench-top.XXXXXX)
sock="upman-bench-$$"
server_pid=""
cleanup() {
    tmux -L "$sock" kill-server 2>/dev/null || true
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
wchar() { awk '/^wchar/ { print $2 }' "/proc/$1/io"; }
pct() { sort -n | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } i = int((NR - 1) * p / 100) + 1; print v[i] }'; }

mkdir -p "$work/data"
cp "$cache" "$work/data/upman.db"
port=$(free_port)
"$upman" serve --data "$work/data" --port "$port" > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do grep -q "http://" "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port"

tmux -L "$sock" new-session -d -x 200 -y 60 -s top \
    "exec env TERM=tmux-256color LANG=C.UTF-8 $upman top --data $work/data --server $url --trace $work/trace.log; sleep 600"
for _ in $(seq 200); do grep -q "first-frame" "$work/trace.log" 2>/dev/null && break; sleep 0.05; done
first=$(awk '/^first-frame/ { print $2; exit }' "$work/trace.log")
top_pid=$(pgrep -f -- "^$upman top --data $work/data" | head -1)
for _ in $(seq 100); do tmux -L "$sock" capture-pane -p -t top | grep -q "● live" && break; sleep 0.1; done

echo "keys…" >&2
keys=(Down Down j j Down PageDown Up k Tab Down Tab Down Tab Down BTab BTab BTab G g Down)
: > "$work/trace.mark"
for i in $(seq 15); do
    for key in "${keys[@]}"; do tmux -L "$sock" send-keys -t top "$key"; sleep 0.03; done
done
sleep 1
key_p50=$(grep -o 'key=[0-9.]*' "$work/trace.log" | cut -d= -f2 | pct 50)
key_p99=$(grep -o 'key=[0-9.]*' "$work/trace.log" | cut -d= -f2 | pct 99)
key_count=$(grep -c 'key=' "$work/trace.log" || true)

echo "events (upman put of 200 files)…" >&2
mkdir -p "$work/files"
for i in $(seq 200); do head -c 65536 /dev/urandom > "$work/files/f$i.bin"; done
"$upman" put "$work/files" --server "$url" --data "$work/data" --json > /dev/null
sleep 2
grep -o 'event-ms=[0-9.,]*' "$work/trace.log" | cut -d= -f2 | tr ',' '\n' > "$work/events.txt"
event_p50=$(pct 50 < "$work/events.txt")
event_p99=$(pct 99 < "$work/events.txt")
event_count=$(wc -l < "$work/events.txt")

echo "idle ${idle} s beside htop…" >&2
tmux -L "$sock" new-window -t top -n htop "env TERM=tmux-256color htop; sleep 600"
sleep 3
htop_pid=$(pgrep -n -x htop)
sleep 25  # let the sparkline and speeds settle after the uploads
t0=$(cpu_ticks "$top_pid"); w0=$(wchar "$top_pid"); h0=$(cpu_ticks "$htop_pid"); hw0=$(wchar "$htop_pid")
sleep "$idle"
t1=$(cpu_ticks "$top_pid"); w1=$(wchar "$top_pid"); h1=$(cpu_ticks "$htop_pid"); hw1=$(wchar "$htop_pid")
hz=$(getconf CLK_TCK)
top_cpu=$(echo "scale=3; ($t1 - $t0) * 1000 / $hz" | bc)
htop_cpu=$(echo "scale=3; ($h1 - $h0) * 1000 / $hz" | bc)
top_bytes=$((w1 - w0)); htop_bytes=$((hw1 - hw0))
rss=$(awk '/VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$top_pid/status")

row() {
    printf "%-34s %14s %14s %8s %14s %6s\n" "$@"
    if [ -n "${BENCH_ROWS:-}" ] && [ "$2" != upman ]; then printf 'top\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$BENCH_ROWS"; fi
}
ratio() { if [ "$2" = "0" ] || [ "$2" = "0.000" ]; then echo "-"; else echo "scale=2; $1 / $2" | bc; fi; }
verdict() { if [ "$(echo "$1" | bc)" = "1" ]; then echo pass; else echo FAIL; fi; }
echo
echo "upman top on $groups groups / $((groups * 10)) files, 200×60 terminal, $(date -u +%F), $(nproc) cores"
row "workload" "upman" "anchor" "ratio" "target" "result"
row "first frame (ms)" "$first" "-" "-" "< 250" "$(verdict "$first < 250")"
row "key to frame p50 (ms, $key_count keys)" "$key_p50" "-" "-" "-" "-"
row "key to frame p99 (ms)" "$key_p99" "-" "-" "< 16" "$(verdict "$key_p99 < 16")"
row "event to screen p50 (ms, $event_count)" "$event_p50" "-" "-" "-" "-"
row "event to screen p99 (ms)" "$event_p99" "-" "-" "< 50" "$(verdict "$event_p99 < 50")"
row "peak RSS (MB)" "$rss" "-" "-" "< 80" "$(verdict "$rss < 80")"
row "idle CPU over ${idle}s (ms) vs htop" "$top_cpu" "$htop_cpu" "$(ratio "$top_cpu" "$htop_cpu")" "<= htop" "$(verdict "$top_cpu <= $htop_cpu")"
row "idle bytes written (${idle}s) vs htop" "$top_bytes" "$htop_bytes" "$(ratio "$top_bytes" "$htop_bytes")" "0" "$(verdict "$top_bytes == 0")"
