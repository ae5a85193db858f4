#!/usr/bin/env bash
# Measures `upman serve` on one shared PostgreSQL database with 1, 2 and 3 instances, beside one
# instance on SQLite, all in one run on 127.0.0.1:
#   writes: `createGroup` (one write transaction and one event per call; the write path of
#     writes.sh) from one wrk (-t6 -c60, closed loop), its threads spread evenly over the
#     instances (thread i connects to instance i mod n, wrk's `thread.addr`): requests/s, p99, errors;
#   events: the sse.sh method, phase (a): one subscriber (Benchmarks/sse_load.py) follows
#     GET /api/v1/events on instance 1 while wrk (-t2 -c16) calls createGroup; with 2 or more
#     instances the writers are the OTHER instances, so every event reaches the subscriber through
#     PostgreSQL (events table, woken by NOTIFY): events/s made, events/s received, id gaps;
#   delay: the same subscriber while a Python producer paces createGroup at $paced_rate/s on the
#     writer instances: commit-to-client p50/p99 (receive time minus the event's `updatedAt`).
# Anchors measured in the same run:
#   - nginx answering a static 200 to the same wrk (this client's HTTP ceiling here),
#   - Python's sqlite3 writing the same rows (group + event) one transaction each (as writes.sh),
#   - pgbench on the same PostgreSQL, the same row pair one transaction each, 1 client and 64.
# Storage: each instance has its own --data folder (tmpfs) with disk storage. Instances share no
# bytes, and need not: createGroup and the event feed touch only the database.
# PostgreSQL: a throwaway cluster (Debian's postgresql-15) started here, run as `postgres`, data in
# /var/tmp (on disk, not tmpfs), fsync and synchronous_commit ON (its defaults: every commit
# waits for its WAL flush). SQLite runs as upman runs it (WAL, synchronous=NORMAL: no fsync per
# commit) with its file on tmpfs, as in writes.sh. CLUSTER_PG_FSYNC=off runs PostgreSQL with
# fsync=off and synchronous_commit=off instead (to see what the flushes cost).
# Every configuration gets fresh instances (and a fresh database); all of them, PostgreSQL
# (SIGINT, fast shutdown) and nginx are stopped on exit.
# Prints one table: workload, upman, anchor, ratio, target, pass/fail.
# Usage: Benchmarks/cluster.sh [--quick]   (--quick: 5 s per load instead of 12)
# UPMAN_BIN=path skips the build and measures that binary. BENCH_ROWS=file appends the rows as TSV.
# With UPMAN_BASELINE_BIN=path, that binary (an older build) is measured the same way in the same
# run, before the one under test, on PostgreSQL with 1 and 2 instances (CLUSTER_BASELINE_CONFIGS),
# for before/after rows.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/common.sh
bench="$PWD/Benchmarks"

duration=12      # each write load and each event load
anchor_duration=8
paced_duration=8
if [ "${1:-}" = "--quick" ]; then duration=5; anchor_duration=4; paced_duration=4; fi
paced_rate=500
pg_fsync=${CLUSTER_PG_FSYNC:-on}
pg_bin=/usr/lib/postgresql/15/bin

need_commands curl bc wrk nginx:nginx-light
[ -x "$pg_bin/postgres" ] || need_commands "$pg_bin/postgres:postgresql-15"
upman=$(upman_binary)

bench_setup cluster
pg_pid="" pg_dir=""
# Stops the upman instances and nginx first (they hold connections to PostgreSQL), then
# PostgreSQL with SIGINT (fast shutdown), then what bench_cleanup removes.
cluster_cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    pids=()
    if [ -n "$pg_pid" ]; then
        kill -INT "$pg_pid" 2>/dev/null || true
        for _ in $(seq 150); do kill -0 "$pg_pid" 2>/dev/null || break; sleep 0.1; done
        kill -QUIT "$pg_pid" 2>/dev/null || true   # still there after 15 s: immediate shutdown
        wait "$pg_pid" 2>/dev/null || true
    fi
    [ -n "$pg_dir" ] && rm -rf "$pg_dir"
    bench_cleanup
}
trap cluster_cleanup EXIT
trap 'exit 143' TERM INT

# ---- PostgreSQL -------------------------------------------------------------------------------
# initdb and postgres refuse root: run them as the `postgres` user when we are root. (A prefix,
# not a function: postgres must be our own child, so that its pid gets the SIGINT.)
as_postgres=()
[ "$(id -u)" -ne 0 ] || as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
pg_dir=$(mktemp -d /var/tmp/upman-bench-pg.XXXXXX)
chmod 755 "$pg_dir"
[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$pg_dir"
echo "cluster: PostgreSQL 15, fsync $pg_fsync, data in $pg_dir…" >&2
(cd "$pg_dir" && "${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >"$pg_dir/initdb.log" 2>&1) \
    || fail_log="$pg_dir/initdb.log" fail "initdb"
pg_port=$(free_port)
pg_options=(-c listen_addresses=127.0.0.1 -c max_connections=300)
if [ "$pg_fsync" = off ]; then pg_options+=(-c fsync=off -c synchronous_commit=off); fi
"${as_postgres[@]}" "$pg_bin/postgres" -D "$pg_dir/data" -p "$pg_port" -k "$pg_dir" "${pg_options[@]}" >"$pg_dir/postgres.log" 2>&1 &
pg_pid=$!
for _ in $(seq 100); do
    "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" -U postgres && break
    kill -0 "$pg_pid" 2>/dev/null || break
    sleep 0.1
done
"$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" -U postgres || fail_log="$pg_dir/postgres.log" fail "PostgreSQL did not start"
psql_do() { "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres "$@"; }
pg_url() { echo "postgres://postgres@127.0.0.1:$pg_port/$1"; }
# pg_counters DB: "xid groups": the next transaction id and the groups in DB. Every write
# transaction takes one id, and so does each of its savepoints that writes (upman runs each
# request of a batch in one): over a load, write transactions = ids taken - groups created - 1
# (this query's own id). Exact, unlike pg_stat_database, which backends report late.
pg_counters() { psql_do -d "$1" -At -F ' ' -c "SELECT txid_current(), (SELECT count(*) FROM upload_groups)"; }
# CPU seconds of the whole PostgreSQL cluster (postmaster and every backend, living ones).
pg_cpu_seconds() {
    local pid total=0
    for pid in "$pg_pid" $(pgrep -P "$pg_pid" 2>/dev/null || true); do
        total=$(echo "$total + $(cpu_seconds "$pid" 2>/dev/null || echo 0)" | bc -l)
    done
    echo "$total"
}

# ---- wrk over several instances -------------------------------------------------------------
# wrk_lua FILE TOKEN PORT...: createGroup with that token; wrk thread i connects to PORT[i mod n].
wrk_lua() {
    local file=$1 token=$2
    shift 2
    cat > "$file" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
local ports = {$(IFS=,; echo "$*")}
local started = 0
function setup(thread)
    thread.addr = wrk.lookup("127.0.0.1", tostring(ports[(started % #ports) + 1]))[1]
    thread:set("tid", started)
    started = started + 1
end
counter = 0
request = function()
    counter = counter + 1
    return wrk.format(nil, "/api/v1/controller", nil,
        '{"action":"createGroup","name":"cluster-' .. tostring(tid) .. '-' .. counter .. '"}')
end
LUA
}

# run_wrk SECONDS LUA PORT: wrk -t6 -c60; prints "requests/s p99_ms errors" (errors: socket + non-2xx).
run_wrk() {
    local out
    out=$(wrk -t6 -c60 -d"$1s" --latency -s "$2" "http://127.0.0.1:$3/api/v1/controller" 2>&1) || fail "wrk: $out"
    python3 Benchmarks/wrk_summary.py "$out"
}

# ---- anchors ----------------------------------------------------------------------------------
echo "cluster: anchor: nginx static 200 under wrk (${duration}s)…" >&2
start_nginx nginx 'location / { return 200 "{}"; }'
wrk_lua "$work/nginx.lua" none "$nginx_port"
echo "$(run_wrk "$duration" "$work/nginx.lua" "$nginx_port")" > "$work/anchor-nginx"
stop_server "$nginx_pid"

echo "cluster: anchor: Python sqlite3, one transaction per row pair (${anchor_duration}s)…" >&2
python3 Benchmarks/sqlite_anchor.py "$work/anchor.db" "$anchor_duration" > "$work/anchor-sqlite"

# pgbench: the same row pair, one transaction each, on the same PostgreSQL.
psql_do -c "CREATE DATABASE anchor"
psql_do -d anchor <<'SQL'
CREATE TABLE groups (id TEXT PRIMARY KEY, user_id TEXT, name TEXT, status TEXT, created_at TIMESTAMPTZ, updated_at TIMESTAMPTZ);
CREATE TABLE events (id BIGSERIAL PRIMARY KEY, kind TEXT, entity_id TEXT, group_id TEXT, user_id TEXT, data TEXT, created_at TIMESTAMPTZ);
SQL
cat > "$work/pgbench.sql" <<'SQL'
\set n random(1, 2000000000)
BEGIN;
INSERT INTO groups VALUES ('grp_' || :client_id || '_' || :n || '_' || md5(clock_timestamp()::text), 'admin', 'bench-' || :n, 'PENDING', now(), now());
INSERT INTO events (kind, entity_id, group_id, user_id, data, created_at) VALUES ('group', 'grp_' || :n, 'grp_' || :n, 'admin', '{"id":"grp_' || :n || '","userId":"admin","name":"bench-' || :n || '","status":"PENDING"}', now());
END;
SQL
for clients in 1 64; do
    echo "cluster: anchor: pgbench, $clients client(s), one transaction per row pair (${anchor_duration}s)…" >&2
    out=$("$pg_bin/pgbench" -n -h 127.0.0.1 -p "$pg_port" -U postgres -c "$clients" -j $((clients > 1 ? 2 : 1)) \
        -T "$anchor_duration" -f "$work/pgbench.sql" anchor 2>&1) || fail "pgbench: $out"
    sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out" | head -1 > "$work/anchor-pgbench-$clients"
done

# ---- one configuration -------------------------------------------------------------------------
# measure NAME ENGINE COUNT [BINARY]: COUNT fresh instances of BINARY (default: the build under
# test; sqlite: one, its own file; postgres: database NAME shared by all), then the write load over
# all of them, the event load (subscriber on instance 1, writers on the others when there are
# others) and the paced delay load; then `upman check`. Results in
# $work/NAME.{writes,events.json,delay.json}.
measure() {
    local name=$1 engine=$2 count=$3 binary=${4:-$upman} i ports=() instance_pids=() token="" db_args=() writers
    if [ "$engine" = postgres ]; then
        psql_do -c "CREATE DATABASE $name"
        db_args=(--db "$(pg_url "$name")")
    fi
    for i in $(seq "$count"); do
        start_upman "$binary" "$name-$i" "${db_args[@]}"
        ports+=("$server_port"); instance_pids+=("$server_pid")
        [ -n "$token" ] || token=$server_token   # every instance's admin token is in the shared database
    done
    fail_log="$work/$name-1.log"

    echo "cluster: $name: createGroup under wrk over $count instance(s) (${duration}s)…" >&2
    wrk_lua "$work/$name.lua" "$token" "${ports[@]}"
    local cpu0=0 cpu1=0 pg0 pg1 t0 t1 pid result
    for pid in "${instance_pids[@]}"; do cpu0=$(echo "$cpu0 + $(cpu_seconds "$pid")" | bc -l); done
    local counters0="0 0" counters1="0 0"
    [ "$engine" != postgres ] || counters0=$(pg_counters "$name")
    pg0=$(pg_cpu_seconds); t0=$(now)
    result=$(run_wrk "$duration" "$work/$name.lua" "${ports[0]}")
    t1=$(now); pg1=$(pg_cpu_seconds)
    if [ "$engine" = postgres ]; then sleep 0.5; counters1=$(pg_counters "$name"); fi
    for pid in "${instance_pids[@]}"; do cpu1=$(echo "$cpu1 + $(cpu_seconds "$pid")" | bc -l); done
    # "rate p99 errors upman_cpu_share pg_cpu_share xid0 groups0 xid1 groups1" (cpu: 1.0 = one core)
    echo "$result $(echo "($cpu1 - $cpu0) / ($t1 - $t0)" | bc -l) $(echo "($pg1 - $pg0) / ($t1 - $t0)" | bc -l)" \
        "$counters0 $counters1" > "$work/$name.writes"

    # Writers: the instances other than the subscriber's, when there are any.
    if [ "$count" -gt 1 ]; then writers=$(IFS=,; echo "${ports[*]:1}"); else writers=${ports[0]}; fi
    echo "cluster: $name: 1 subscriber on instance 1, wrk createGroup on port(s) $writers (${duration}s)…" >&2
    timeout $((duration + 60)) python3 "$bench/sse_load.py" live --port "${ports[0]}" --token "$token" \
        --server-pid "${instance_pids[0]}" --producer wrk --producer-ports "$writers" --producer-threads 2 \
        --connections 16 --subscribers 1 --sample 0 --duration "$duration" > "$work/$name.events.json" \
        || fail "event load ($name)"
    echo "cluster: $name: 1 subscriber, createGroup paced at $paced_rate/s on port(s) $writers (${paced_duration}s)…" >&2
    timeout $((paced_duration + 60)) python3 "$bench/sse_load.py" live --port "${ports[0]}" --token "$token" \
        --server-pid "${instance_pids[0]}" --producer paced --rate "$paced_rate" --producer-ports "$writers" \
        --connections 8 --subscribers 1 --sample 1 --duration "$paced_duration" > "$work/$name.delay.json" \
        || fail "delay load ($name)"
    for pid in "${instance_pids[@]}"; do stop_server "$pid"; done
    grep -q '"fatal"' "$work/$name.events.json" "$work/$name.delay.json" && fail "$name: $(head -c 600 "$work/$name.events.json" "$work/$name.delay.json")"
    "$binary" check --data "$work/$name-1" "${db_args[@]}" > "$work/$name.check" 2>&1 || echo "warning: upman check failed for $name" >&2
    rm -rf "$work/$name-"[0-9]*/storage
    fail_log=""
}

if [ -n "${UPMAN_BASELINE_BIN:-}" ]; then
    for config in ${CLUSTER_BASELINE_CONFIGS:-pg1 pg2}; do
        measure "base_$config" postgres "${config#pg}" "$UPMAN_BASELINE_BIN"
    done
fi
for config in ${CLUSTER_CONFIGS:-sqlite1 pg1 pg2 pg3}; do   # CLUSTER_CONFIGS: a subset, for smoke runs
    case $config in
        sqlite1) measure sqlite1 sqlite 1 ;;
        pg[123]) measure "$config" postgres "${config#pg}" ;;
    esac
done

# ---- table ----------------------------------------------------------------------------------------
python3 - "$work" "$(nproc)" "$duration" "$paced_duration" "$paced_rate" "$pg_fsync" <<'PY'
import datetime, json, os, sys
work, cores, duration, paced_duration, paced_rate, pg_fsync = sys.argv[1:7]
def read(name):
    return open(os.path.join(work, name)).read().split()
nginx_rate, nginx_p99, _ = read("anchor-nginx")
nginx_rate = float(nginx_rate)
sqlite3_rate = float(read("anchor-sqlite")[0])
pgbench = {c: float(read(f"anchor-pgbench-{c}")[0]) for c in (1, 64)}
configs = [("sqlite1", "SQLite, 1 instance"), ("pg1", "PG, 1 instance"), ("pg2", "PG, 2 instances"), ("pg3", "PG, 3 instances"),
           ("base_pg1", "PG, 1 instance, baseline build"), ("base_pg2", "PG, 2 instances, baseline build"),
           ("base_pg3", "PG, 3 instances, baseline build")]
configs = [(k, label) for k, label in configs if os.path.exists(os.path.join(work, f"{k}.writes"))]
writes, events, delay = {}, {}, {}
for key, _ in configs:
    rate, p99, errors, cpu, pg_cpu, xid0, groups0, xid1, groups1 = read(f"{key}.writes")
    groups = int(groups1) - int(groups0)
    writes[key] = {"rate": float(rate), "p99": float(p99), "errors": int(errors), "cpu": float(cpu), "pg_cpu": float(pg_cpu),
                   "groups": groups, "xacts": int(xid1) - int(xid0) - 1 - groups}
    events[key] = json.load(open(os.path.join(work, f"{key}.events.json")))
    delay[key] = json.load(open(os.path.join(work, f"{key}.delay.json")))
rows_file = os.environ.get("BENCH_ROWS")
FORMAT = "%-56s %11s %17s %6s %9s %6s"
def row(*cells):
    print(FORMAT % cells)
    if rows_file:
        with open(rows_file, "a") as f:
            f.write("cluster\t" + "\t".join(cells) + "\n")
def problems(r):
    return f"{r['gaps']}/{r['duplicates']}/{r['reconnects']}/{r['behind_at_end']}/{r['producer'].get('errors', 'n/a')}"
def clean(r):
    return r["gaps"] + r["duplicates"] + r["reconnects"] + r["behind_at_end"] + (r["producer"].get("errors") or 0) == 0
def fmt(v, digits=0):
    return "n/a" if v is None else f"{v:.{digits}f}"
def ref(table, key, field):
    return table[key][field] if key in table else None

print()
print(f"upman on a shared PostgreSQL — {datetime.date.today()}, {cores} cores; createGroup (1 transaction, 1 event per call); "
      f"loads {duration} s, paced {paced_duration} s; PostgreSQL 15 on disk, fsync {pg_fsync}; SQLite WAL on tmpfs")
print(FORMAT % ("workload", "upman", "anchor", "ratio", "target", "result"))
row("anchor: nginx static 200, wrk -t6 -c60 (req/s)", f"{nginx_rate:.0f}", "-", "-", "-", "-")
row("anchor: sqlite3, 1 row pair per tx (tx/s)", f"{sqlite3_rate:.0f}", "-", "-", "-", "-")
row("anchor: pgbench 1 client, 1 row pair per tx (tx/s)", f"{pgbench[1]:.0f}", "-", "-", "-", "-")
row("anchor: pgbench 64 clients, 1 row pair per tx (tx/s)", f"{pgbench[64]:.0f}", "-", "-", "-", "-")
s1 = ref(writes, "sqlite1", "rate")
def base_of(key):
    """A configuration's counterpart of the same build: pg1 for pg*, base_pg1 for base_pg*."""
    return ("base_" if key.startswith("base_") else "") + "pg1"
for key, label in configs:
    p1 = ref(writes, base_of(key), "rate")
    w = writes[key]
    r = w["rate"]
    row(f"writes/s, {label} (wrk -t6 -c60)", f"{r:.0f}", f"{nginx_rate:.0f} nginx", f"{r / nginx_rate:.2f}", "-", "-")
    if key == "sqlite1":
        row(f"writes/s, {label}, vs sqlite3", f"{r:.0f}", f"{sqlite3_rate:.0f} sqlite3", f"{r / sqlite3_rate:.2f}", "-", "-")
    else:
        if s1:
            row(f"writes/s, {label}, vs SQLite 1", f"{r:.0f}", f"{s1:.0f} SQLite-1", f"{r / s1:.2f}", "-", "-")
        if key != base_of(key) and p1:
            row(f"writes/s, {label}, vs PG 1 instance", f"{r:.0f}", f"{p1:.0f} PG-1", f"{r / p1:.2f}", "-", "-")
        row(f"writes/s, {label}, vs pgbench 64 clients", f"{r:.0f}", f"{pgbench[64]:.0f} pgbench", f"{r / pgbench[64]:.2f}", "-", "-")
        row(f"requests per write transaction (group commit), {label}",
            f"{w['groups'] / w['xacts']:.1f}" if w["xacts"] > 0 else "n/a", "64 at most", "-", "-", "-")
    row(f"writes p99 (ms), {label}", f"{w['p99']:.1f}", f"{float(nginx_p99):.1f} nginx", "-", "-", "-")
    row(f"write errors (socket + non-2xx), {label}", str(w["errors"]), "-", "-", "0", "pass" if w["errors"] == 0 else "FAIL")
e1 = ref(events, "sqlite1", "made_rate")
for key, label in configs:
    e = events[key]
    where = "same instance" if key.removeprefix("base_") in ("sqlite1", "pg1") else "other instance(s)"
    row(f"events/s made, {label}, writers on {where}", fmt(e["made_rate"]), f"{e1:.0f} SQLite-1" if e1 else "-",
        f"{e['made_rate'] / e1:.2f}" if e1 else "-", "-", "-")
    row(f"events/s received by the subscriber, {label}", fmt(e["per_subscriber_rate_min"]), f"{e['made_rate']:.0f} made",
        f"{e['per_subscriber_rate_min'] / e['made_rate']:.2f}", "-", "-")
    row(f"gaps/dups/reconn./behind/prod. errors, {label}", problems(e), "-", "-", "0/0/0/0/0", "pass" if clean(e) else "FAIL")
d1 = delay.get("sqlite1")
for key, label in configs:
    d = delay[key]
    row(f"commit→client p50 (ms) at {paced_rate}/s, {label}", fmt(d["latency_p50_ms"], 1),
        fmt(d1["latency_p50_ms"], 1) + " SQLite-1" if d1 else "-", "-", "-", "-")
    row(f"commit→client p99 (ms) at {paced_rate}/s, {label}", fmt(d["latency_p99_ms"], 1),
        fmt(d1["latency_p99_ms"], 1) + " SQLite-1" if d1 else "-", "-", "< 50",
        "pass" if d["latency_p99_ms"] is not None and d["latency_p99_ms"] < 50 else "FAIL")
    row(f"made/offered (events/s), gaps/dups/..., {label}", f"{d['made_rate']:.0f}/{paced_rate}", problems(d), "-", "0/0/0/0/0",
        "pass" if clean(d) else "FAIL")
for key, label in configs:
    base = f"base_{key}"
    if base not in writes:
        continue
    row(f"before/after: writes/s, {label}", f"{writes[key]['rate']:.0f}", f"{writes[base]['rate']:.0f} baseline",
        f"{writes[key]['rate'] / writes[base]['rate']:.2f}", "-", "-")
    after, before = delay[key]["latency_p99_ms"], delay[base]["latency_p99_ms"]
    row(f"before/after: commit→client p99 (ms), {label}", fmt(after, 1), fmt(before, 1) + " baseline",
        f"{after / before:.2f}" if after and before else "-", "-", "-")
print("CPU during the write loads (1.0 = one core): " + "; ".join(
    f"{label}: upman {writes[k]['cpu']:.2f}" + (f", PostgreSQL {writes[k]['pg_cpu']:.2f}" if k != "sqlite1" else "")
    for k, label in configs))
print("CPU during the event loads: " + "; ".join(
    f"{label}: subscriber's instance {fmt(events[k]['server_cpu_share'], 2)}, wrk {fmt(events[k]['producer_cpu_share'], 2)}"
    for k, label in configs))
print("requests per write transaction: groups created during the write load over the write transactions that "
      "committed them (transaction ids taken, less one per request's savepoint), on PostgreSQL")
PY
