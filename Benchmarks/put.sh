#!/usr/bin/env bash
# Measures `upman put` into the embedded disk store beside its anchors, in one run on 127.0.0.1:
#   - a 1 GiB file: upman put vs cp of the same file vs curl -T to nginx's WebDAV module;
#   - 10,000 files of 4 KiB as one group: upman put vs curl --parallel PUTs to nginx.
# Prints one table: workload, upman, anchor, ratio, target, pass/fail.
# Usage: Benchmarks/put.sh [--quick] [--small-only]   (--quick: 256 MiB and 2,000 small files;
#   --small-only: the many-small-files rows alone)
# UPMAN_BIN=path skips the build and measures that binary. BENCH_ROWS=file appends the rows as TSV.
# UPMAN_BASELINE_BIN=path also runs the small files with that (older) binary, its own server and client,
# in the same run, reported as a row of its own.
# The small files go through the batch `initiate` and the self-completing PUT (one request per file
# and one `initiate` per 1,000 files); the script counts the new binary's controller calls from
# /metrics and reports them, so a run that fell back to one initiate per file shows it.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/common.sh

big_mib=1024
small_count=10000
small_only=0
for arg in "$@"; do
    case "$arg" in
        --quick) big_mib=256; small_count=2000 ;;
        --small-only) small_only=1 ;;
    esac
done

need_commands nginx:nginx-light curl bc

upman=$(upman_binary)

work=$(mktemp -d /tmp/upman-bench.XXXXXX)
shm=$(mktemp -d /dev/shm/upman-bench.XXXXXX)
chmod 755 "$work" "$shm"  # nginx workers run as nobody
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work" "$shm"
}
trap cleanup EXIT
fail() { echo "benchmark failed: $1" >&2; [ -f "$work/nginx/error.log" ] && tail -5 "$work/nginx/error.log" >&2; exit 1; }

now() { date +%s.%N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# nginx with WebDAV PUT, as the anchor for HTTP uploads.
nginx_port=$(free_port)
mkdir -p "$work/nginx/root" "$work/nginx/tmp" "$shm/nginx-root"
chmod -R 777 "$work/nginx" "$shm/nginx-root"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/tmp;
    server {
        listen 127.0.0.1:$nginx_port;
        location /big/ { root $work/nginx/root; dav_methods PUT; create_full_put_path on; client_max_body_size 0; }
        location /small/ { root $shm/nginx-root; dav_methods PUT; create_full_put_path on; client_max_body_size 0; }
    }
}
CONF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)

# upman serve with no processing jobs: this measures the upload path alone.
upman_port=$(free_port)
"$upman" serve --data "$work/upman-data" --port "$upman_port" --jobs "" --log-level warning >/dev/null &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$upman_port/healthz" >/dev/null && break; sleep 0.2; done
export UPMAN_SERVER="http://127.0.0.1:$upman_port" UPMAN_TOKEN="$(cat "$work/upman-data/admin.token")"

if [ "$small_only" = 0 ]; then
echo "writing a ${big_mib} MiB file…" >&2
head -c $((big_mib << 20)) /dev/urandom > "$work/big.bin"
cat "$work/big.bin" > /dev/null
bytes=$((big_mib << 20))

t0=$(now); cp "$work/big.bin" "$work/cp-copy.bin"; t1=$(now)
cp_s=$(echo "$t1 - $t0" | bc -l); rm -f "$work/cp-copy.bin"

t0=$(now); curl -sf -T "$work/big.bin" "http://127.0.0.1:$nginx_port/big/big.bin" >/dev/null || fail "nginx PUT"; t1=$(now)
nginx_s=$(echo "$t1 - $t0" | bc -l)

t0=$(now); "$upman" put "$work/big.bin" --json >/dev/null; t1=$(now)
upman_s=$(echo "$t1 - $t0" | bc -l)
fi

echo "writing ${small_count} files of 4 KiB…" >&2
mkdir -p "$shm/small"
python3 - "$shm/small" "$small_count" <<'PY'
import os, sys
folder, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    with open(os.path.join(folder, f"f{i:05d}.bin"), "wb") as f:
        f.write(os.urandom(4096))
PY
: > "$work/curl.cfg"
for f in "$shm"/small/*; do
    printf 'upload-file = "%s"\nurl = "http://127.0.0.1:%s/small/%s"\n' "$f" "$nginx_port" "$(basename "$f")" >> "$work/curl.cfg"
done
t0=$(now); curl -sf --parallel --parallel-max 8 -K "$work/curl.cfg" >/dev/null 2>&1 || fail "nginx small PUTs"; t1=$(now)
nginx_small_s=$(echo "$t1 - $t0" | bc -l)

calls() { # action: controller calls answered ok so far by the server under test
    curl -sf "http://127.0.0.1:$upman_port/metrics" \
        | sed -n "s/^upman_controller_requests_total{action=\"$1\",outcome=\"ok\"} \([0-9]*\).*/\1/p" | head -1
}
initiates_before=$(calls initiate); completes_before=$(calls complete)
t0=$(now); "$upman" put "$shm/small" --group small --json >/dev/null; t1=$(now)
upman_small_s=$(echo "$t1 - $t0" | bc -l)
small_initiates=$(( $(calls initiate) - ${initiates_before:-0} ))
small_completes=$(( $(calls complete) - ${completes_before:-0} ))

baseline_small_s=""
if [ -n "${UPMAN_BASELINE_BIN:-}" ]; then
    baseline_port=$(free_port)
    "$UPMAN_BASELINE_BIN" serve --data "$work/baseline-data" --port "$baseline_port" --jobs "" --log-level warning >/dev/null &
    pids+=($!)
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$baseline_port/healthz" >/dev/null && break; sleep 0.2; done
    t0=$(now)
    UPMAN_SERVER="http://127.0.0.1:$baseline_port" UPMAN_TOKEN="$(cat "$work/baseline-data/admin.token")" \
        "$UPMAN_BASELINE_BIN" put "$shm/small" --group small --json >/dev/null
    t1=$(now)
    baseline_small_s=$(echo "$t1 - $t0" | bc -l)
fi

mbps() { echo "$bytes / $1 / 1000000" | bc -l; }
fps() { echo "$small_count / $1" | bc -l; }
row() { # workload upman anchor-name anchor ratio target pass
    printf '%-34s %12s %-22s %12s %7s %8s %5s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7"
    if [ -n "${BENCH_ROWS:-}" ] && [ "$2" != upman ]; then
        printf 'put\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$4 $3" "$5" "$6" "$7" >> "$BENCH_ROWS"
    fi
}
verdict() { if [ "$(echo "$1 >= $2" | bc -l)" = 1 ]; then echo pass; else echo FAIL; fi; }

if [ "$small_only" = 0 ]; then
upman_mbps=$(mbps "$upman_s"); cp_mbps=$(mbps "$cp_s"); nginx_mbps=$(mbps "$nginx_s")
r_cp=$(echo "$upman_mbps / $cp_mbps" | bc -l); r_nginx=$(echo "$upman_mbps / $nginx_mbps" | bc -l)
fi
upman_fps=$(fps "$upman_small_s"); nginx_fps=$(fps "$nginx_small_s")
r_small=$(echo "$upman_fps / $nginx_fps" | bc -l)

echo
echo "upman put benchmark — $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)"
row "workload" "upman" "anchor" "anchor" "ratio" "target" ""
if [ "$small_only" = 0 ]; then
row "${big_mib} MiB file, MB/s" "$(printf %.0f "$upman_mbps")" "cp" "$(printf %.0f "$cp_mbps")" "$(printf %.2f "$r_cp")" "≥0.85" "$(verdict "$r_cp" 0.85)"
row "${big_mib} MiB file, MB/s" "$(printf %.0f "$upman_mbps")" "nginx WebDAV curl -T" "$(printf %.0f "$nginx_mbps")" "$(printf %.2f "$r_nginx")" "≥1.00" "$(verdict "$r_nginx" 1.0)"
fi
row "${small_count} × 4 KiB, files/s" "$(printf %.0f "$upman_fps")" "nginx curl --parallel" "$(printf %.0f "$nginx_fps")" "$(printf %.2f "$r_small")" "≥3000/s" "$(verdict "$upman_fps" 3000)"
row "${small_count} × 4 KiB, vs nginx" "$(printf %.0f "$upman_fps")" "nginx curl --parallel" "$(printf %.0f "$nginx_fps")" "$(printf %.2f "$r_small")" "≥0.40" "$(verdict "$r_small" 0.4)"
row "${small_count} × 4 KiB, initiate/complete calls" "$small_initiates/$small_completes" "-" "-" "-" "-" "-"
if [ -n "$baseline_small_s" ]; then
    baseline_fps=$(fps "$baseline_small_s")
    row "${small_count} × 4 KiB, files/s vs old" "$(printf %.0f "$upman_fps")" "old binary" "$(printf %.0f "$baseline_fps")" "$(printf %.2f "$(echo "$upman_fps / $baseline_fps" | bc -l)")" "-" "-"
fi
