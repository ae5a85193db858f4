#!/usr/bin/env bash
# Measures uploads through upman's tus endpoint (/files/) beside `upman put` of the same files into
# the same kind of server, in one run on 127.0.0.1 (data folders on disk, durable, no processing jobs):
#   - a 1 GiB file: upman put; tuspy (PATCHes of 64 MiB); curl speaking tus by hand (a POST, then one
#     PATCH of the whole file: the protocol's own ceiling for one client);
#   - 1,000 files of 4 KiB: upman put of the folder; tuspy, one file after another (a POST and a PATCH
#     each); curl --parallel (8 at once) with creation-with-upload (one POST per file, bytes included).
# The anchor of every tus row is `upman put` of the same workload in the same run.
# tusd (the reference tus server, Go) cannot be built here: Debian's golang-go is there, but tusd's
# modules come from the Go module proxy, which this machine cannot reach; so there is no tusd row.
# Usage: Benchmarks/tus.sh [--quick]   (--quick: 256 MiB and 300 small files)
# UPMAN_BIN=path skips the build and measures that binary; UPMAN_BASELINE_BIN=path adds an older binary's
# tus rows (marked old) from the same run. BENCH_ROWS=file appends the rows as TSV.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/common.sh

big_mib=1024
small_count=1000
for arg in "$@"; do
    case "$arg" in
        --quick) big_mib=256; small_count=300 ;;
    esac
done

need_commands curl bc
python3 -c 'import tusclient' 2>/dev/null || pip install -q tuspy >/dev/null
upman=$(upman_binary)

work=$(mktemp -d /tmp/upman-bench-tus.XXXXXX)
shm=$(mktemp -d /dev/shm/upman-bench-tus.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work" "$shm"
}
trap cleanup EXIT

bytes=$((big_mib << 20))
echo "writing a ${big_mib} MiB file and ${small_count} files of 4 KiB…" >&2
head -c "$bytes" /dev/urandom > "$work/big.bin"
cat "$work/big.bin" > /dev/null
mkdir -p "$shm/small"
python3 - "$shm/small" "$small_count" <<'PY'
import os, sys
folder, count = sys.argv[1], int(sys.argv[2])
for i in range(count):
    with open(os.path.join(folder, f"f{i:05d}.bin"), "wb") as f:
        f.write(os.urandom(4096))
PY

elapsed() { echo "$2 - $1" | bc -l; }
b64() { printf %s "$1" | base64 -w0; }
# location HEADERS_FILE: the Location of a 201.
location() { tr -d '\r' < "$1" | sed -n 's/^[Ll]ocation: //p' | head -1; }

# A fresh server per client, so each starts from the same empty database.
start_upman "$upman" put
t0=$(now)
UPMAN_SERVER=$server_url UPMAN_TOKEN=$server_token "$upman" put "$work/big.bin" --json >/dev/null || fail "upman put of the big file"
big_put=$(elapsed "$t0" "$(now)")
t0=$(now)
UPMAN_SERVER=$server_url UPMAN_TOKEN=$server_token "$upman" put "$shm/small" --group small --json >/dev/null || fail "upman put of the small files"
small_put=$(elapsed "$t0" "$(now)")
stop_server "$server_pid"; rm -rf "${work:?}/put"

# tus_case NAME BINARY: tuspy and curl against a fresh server of BINARY; sets big_tuspy_NAME,
# small_tuspy_NAME, big_curl_NAME, small_curl_NAME (seconds) and completed_NAME.
tus_case() {
    local name=$1 binary=$2 t0 url first f fname
    echo "tuspy ($name)…" >&2
    start_upman "$binary" "tuspy-$name"
    printf -v "big_tuspy_$name" %s "$(python3 Benchmarks/tus_client.py big "$work/big.bin" "$server_url/files/" "$server_token")" || fail "tuspy big"
    printf -v "small_tuspy_$name" %s "$(python3 Benchmarks/tus_client.py many "$shm/small" "$server_url/files/" "$server_token")" || fail "tuspy many"
    stop_server "$server_pid"; rm -rf "${work:?}/tuspy-$name"

    echo "curl ($name)…" >&2
    start_upman "$binary" "curl-$name"
    local auth=(-H "Tus-Resumable: 1.0.0" -H "Authorization: Bearer $server_token")
    t0=$(now)
    curl -sf -o /dev/null -D "$work/created" -X POST "${auth[@]}" -H "Upload-Length: $bytes" \
        -H "Upload-Metadata: filename $(b64 big.bin)" "$server_url/files/" || fail "curl POST"
    url=$(location "$work/created")
    curl -sf -o /dev/null -X PATCH "${auth[@]}" -H "Content-Type: application/offset+octet-stream" -H "Upload-Offset: 0" \
        -H "Expect:" -T "$work/big.bin" "$url" || fail "curl PATCH"
    printf -v "big_curl_$name" %s "$(elapsed "$t0" "$(now)")"
    : > "$work/curl.cfg"
    first=1
    for f in "$shm"/small/*; do
        [ "$first" = 1 ] || echo "next" >> "$work/curl.cfg"
        first=0
        fname=$(basename "$f")
        cat >> "$work/curl.cfg" <<CFG
url = "$server_url/files/"
request = "POST"
header = "Tus-Resumable: 1.0.0"
header = "Authorization: Bearer $server_token"
header = "Upload-Length: 4096"
header = "Upload-Metadata: filename $(b64 "$fname"),group $(b64 curl-many)"
header = "Content-Type: application/offset+octet-stream"
data-binary = "@$f"
output = "/dev/null"
fail
CFG
    done
    t0=$(now)
    curl -s --no-progress-meter --parallel --parallel-max 8 -K "$work/curl.cfg" || fail "curl creation-with-upload"
    printf -v "small_curl_$name" %s "$(elapsed "$t0" "$(now)")"
    printf -v "completed_$name" %s "$(python3 -c '
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT coalesce(sum(completedFiles), 0) FROM upload_groups WHERE name = ?", ("curl-many",)).fetchone()[0])' "$work/curl-$name/upman.db")"
    stop_server "$server_pid"; rm -rf "${work:?}/curl-$name"
}

cases=(new)
if [ -n "${UPMAN_BASELINE_BIN:-}" ]; then
    tus_case old "$UPMAN_BASELINE_BIN"
    cases=(old new)
fi
tus_case new "$upman"

mbps() { echo "$bytes / $1 / 1000000" | bc -l; }
fps() { echo "$small_count / $1" | bc -l; }
ratio() { printf %.2f "$(echo "$1 / $2" | bc -l)"; }
row() { # workload upman anchor-name anchor ratio target pass
    printf '%-40s %12s %-22s %12s %7s %8s %5s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7"
    if [ -n "${BENCH_ROWS:-}" ] && [ "$2" != upman ]; then
        printf 'tus\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$4 $3" "$5" "$6" "$7" >> "$BENCH_ROWS"
    fi
}
put_mbps=$(mbps "$big_put"); put_fps=$(fps "$small_put")
echo
echo "tus benchmark — $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), commit $(git rev-parse --short HEAD 2>/dev/null || echo ?)"
row "workload" "tus" "anchor" "anchor" "ratio" "target" ""
for name in "${cases[@]}"; do
    for client in tuspy curl; do
        var="big_${client}_$name"; m=$(mbps "${!var}")
        row "${big_mib} MiB, MB/s ($client, $name)" "$(printf %.0f "$m")" "upman put" "$(printf %.0f "$put_mbps")" "$(ratio "$m" "$put_mbps")" "-" "-"
    done
done
for name in "${cases[@]}"; do
    for client in tuspy curl; do
        var="small_${client}_$name"; f=$(fps "${!var}")
        row "${small_count} × 4 KiB, files/s ($client, $name)" "$(printf %.0f "$f")" "upman put" "$(printf %.0f "$put_fps")" "$(ratio "$f" "$put_fps")" "-" "-"
    done
done
echo
echo "tuspy sends one file after another (a POST, then a PATCH); curl sends 8 at once with creation-with-upload"
echo "(one POST each, bytes included; $completed_new of $small_count reported COMPLETED in group curl-many)."
[ "${#cases[@]}" = 1 ] || echo "Rows marked old: UPMAN_BASELINE_BIN, an older binary measured in the same run."
echo "upman put batches its initiates and sends 8 files at once. No tusd row: see the header of this script."
