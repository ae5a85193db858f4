#!/usr/bin/env bash
# Measures `upman put` into the embedded disk store beside its anchors, in one run on 127.0.0.1:
#   - a 1 GiB file: upman put vs cp of the same file vs curl -T to nginx's WebDAV module;
#   - 10,000 files of 4 KiB as one group: upman put vs curl --parallel PUTs to nginx.
# upman runs in several configurations, each on a fresh server whose data folder is on disk:
#   durable  (the default: a part is acknowledged after fdatasync), no processing jobs;
#   relaxed  (--durability relaxed), no processing jobs;
#   jobs     (durable, with the default jobs sha256 and content-type; put waits for COMPLETED);
#   old      (UPMAN_BASELINE_BIN, an older binary with its own server and client, no jobs).
# The small files go through the batch `initiate` and the self-completing PUT; the script counts the
# durable server's controller calls from /metrics, so a run that fell back to one initiate per file,
# or that called `complete` per file, shows it.
# Prints one table: workload, upman, anchor, ratio, target, pass/fail.
# Usage: Benchmarks/put.sh [--quick] [--small-only]   (--quick: 256 MiB and 2,000 small files;
#   --small-only: the many-small-files rows alone)
# UPMAN_BIN=path skips the build and measures that binary. BENCH_ROWS=file appends the rows as TSV.
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

# Data folders on disk (fdatasync means something there); the small source files and nginx's small
# root on tmpfs, as before.
work=$(mktemp -d /tmp/upman-bench.XXXXXX)
shm=$(mktemp -d /dev/shm/upman-bench.XXXXXX)
chmod 755 "$work" "$shm"  # nginx workers run as nobody
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work" "$shm"
}
trap cleanup EXIT

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
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$nginx_port/" && break; sleep 0.1; done

bytes=$((big_mib << 20))
if [ "$small_only" = 0 ]; then
    echo "writing a ${big_mib} MiB file…" >&2
    head -c "$bytes" /dev/urandom > "$work/big.bin"
    cat "$work/big.bin" > /dev/null
    t0=$(now); cp "$work/big.bin" "$work/cp-copy.bin"; t1=$(now)
    cp_s=$(echo "$t1 - $t0" | bc -l); rm -f "$work/cp-copy.bin"
    t0=$(now); curl -sf -T "$work/big.bin" "http://127.0.0.1:$nginx_port/big/big.bin" >/dev/null || fail "nginx PUT"; t1=$(now)
    nginx_s=$(echo "$t1 - $t0" | bc -l); rm -f "$work/nginx/root/big/big.bin"
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

calls() { # URL ACTION: controller calls answered ok so far by that server
    curl -sf "$1/metrics" \
        | sed -n "s/^upman_controller_requests_total{action=\"$2\",outcome=\"ok\"} \([0-9]*\).*/\1/p" | head -1
}

# run_case NAME BINARY [SERVE ARGS...]: a fresh server, then the big file and the small files with
# that binary's own `put`; sets big_s_NAME and small_s_NAME (seconds) and, for the durable case, the
# call counts.
run_case() {
    local name=$1 binary=$2 t0 t1
    shift 2
    echo "upman ($name)…" >&2
    start_upman "$binary" "$name" "$@"
    if [ "$small_only" = 0 ]; then
        t0=$(now)
        UPMAN_SERVER=$server_url UPMAN_TOKEN=$server_token "$binary" put "$work/big.bin" --json >/dev/null \
            || fail_log="$work/$name.log" fail "upman put of the big file ($name)"
        t1=$(now)
        printf -v "big_s_$name" %s "$(echo "$t1 - $t0" | bc -l)"
    fi
    local initiates_before completes_before
    initiates_before=$(calls "$server_url" initiate); completes_before=$(calls "$server_url" complete)
    t0=$(now)
    UPMAN_SERVER=$server_url UPMAN_TOKEN=$server_token "$binary" put "$shm/small" --group small --json >/dev/null \
        || fail_log="$work/$name.log" fail "upman put of the small files ($name)"
    t1=$(now)
    printf -v "small_s_$name" %s "$(echo "$t1 - $t0" | bc -l)"
    if [ "$name" = durable ]; then
        small_initiates=$(( $(calls "$server_url" initiate) - ${initiates_before:-0} ))
        small_completes=$(( $(calls "$server_url" complete) - ${completes_before:-0} ))
    fi
    stop_server "$server_pid"
    rm -rf "${work:?}/$name"
}

run_case durable "$upman"
run_case relaxed "$upman" --durability relaxed
run_case jobs "$upman" --jobs sha256,content-type
cases=(durable relaxed jobs)
if [ -n "${UPMAN_BASELINE_BIN:-}" ]; then
    run_case old "$UPMAN_BASELINE_BIN"
    cases+=(old)
fi

mbps() { echo "$bytes / $1 / 1000000" | bc -l; }
fps() { echo "$small_count / $1" | bc -l; }
ratio() { printf %.2f "$(echo "$1 / $2" | bc -l)"; }
row() { # workload upman anchor-name anchor ratio target pass
    printf '%-40s %12s %-22s %12s %7s %8s %5s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7"
    if [ -n "${BENCH_ROWS:-}" ] && [ "$2" != upman ]; then
        printf 'put\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$4 $3" "$5" "$6" "$7" >> "$BENCH_ROWS"
    fi
}
verdict() { if [ "$(echo "$1 >= $2" | bc -l)" = 1 ]; then echo pass; else echo FAIL; fi; }

nginx_fps=$(fps "$nginx_small_s")
echo
echo "upman put benchmark — $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)"
row "workload" "upman" "anchor" "anchor" "ratio" "target" ""
if [ "$small_only" = 0 ]; then
    cp_mbps=$(mbps "$cp_s"); nginx_mbps=$(mbps "$nginx_s")
    for name in "${cases[@]}"; do
        var="big_s_$name"; m=$(mbps "${!var}")
        r_nginx=$(ratio "$m" "$nginx_mbps"); r_cp=$(ratio "$m" "$cp_mbps")
        if [ "$name" = old ]; then
            row "${big_mib} MiB, MB/s ($name)" "$(printf %.0f "$m")" "nginx WebDAV curl -T" "$(printf %.0f "$nginx_mbps")" "$r_nginx" "-" "-"
        else
            row "${big_mib} MiB, MB/s ($name)" "$(printf %.0f "$m")" "nginx WebDAV curl -T" "$(printf %.0f "$nginx_mbps")" "$r_nginx" "≥1.00" "$(verdict "$r_nginx" 1.0)"
            row "${big_mib} MiB, MB/s ($name)" "$(printf %.0f "$m")" "cp" "$(printf %.0f "$cp_mbps")" "$r_cp" "≥0.50" "$(verdict "$r_cp" 0.5)"
        fi
    done
    if [ -n "${big_s_old:-}" ]; then
        row "${big_mib} MiB, durable vs old" "$(printf %.0f "$(mbps "$big_s_durable")")" "old binary" "$(printf %.0f "$(mbps "$big_s_old")")" "$(ratio "$big_s_old" "$big_s_durable")" "-" "-"
    fi
fi
for name in "${cases[@]}"; do
    var="small_s_$name"; f=$(fps "${!var}")
    r=$(ratio "$f" "$nginx_fps")
    if [ "$name" = old ]; then
        row "${small_count} × 4 KiB, files/s ($name)" "$(printf %.0f "$f")" "nginx curl --parallel" "$(printf %.0f "$nginx_fps")" "$r" "-" "-"
    else
        row "${small_count} × 4 KiB, files/s ($name)" "$(printf %.0f "$f")" "target" "3000" "$(ratio "$f" 3000)" "≥3000/s" "$(verdict "$f" 3000)"
        row "${small_count} × 4 KiB, files/s ($name)" "$(printf %.0f "$f")" "nginx curl --parallel" "$(printf %.0f "$nginx_fps")" "$r" "≥0.40" "$(verdict "$r" 0.4)"
    fi
done
if [ -n "${small_s_old:-}" ]; then
    row "${small_count} × 4 KiB, durable vs old" "$(printf %.0f "$(fps "$small_s_durable")")" "old binary" "$(printf %.0f "$(fps "$small_s_old")")" "$(ratio "$small_s_old" "$small_s_durable")" "-" "-"
fi
row "${small_count} × 4 KiB, initiate/complete calls" "$small_initiates/$small_completes" "-" "-" "-" "-" "-"
