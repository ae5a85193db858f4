# Shared by the benchmark scripts (sourced, run from the repository root).

# Installs the Debian packages of the commands that are missing: `need_commands curl nginx:nginx-light`
# (COMMAND or COMMAND:PACKAGE).
need_commands() {
    local need=() item
    for item in "$@"; do
        command -v "${item%%:*}" >/dev/null 2>&1 || need+=("${item#*:}")
    done
    if [ "${#need[@]}" -gt 0 ]; then
        local sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
        $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
    fi
}

# Prints the upman binary to measure: $UPMAN_BIN, else a release build made now.
upman_binary() {
    if [ -n "${UPMAN_BIN:-}" ]; then
        echo "$UPMAN_BIN"
    else
        echo "building release…" >&2
        swift build -c release --product upman >/dev/null || return 1
        echo "$PWD/.build/release/upman"
    fi
}

# ---- shared by the scripts that start servers (writes.sh, sse.sh, controller.sh, parts.sh) ----

# The time now, in seconds with nanoseconds (for `bc`).
now() { date +%s.%N; }

# A port that is free on 127.0.0.1 right now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# bench_setup NAME: makes the work folder $work on tmpfs (mode 755: nginx's workers run as nobody),
# starts the list $pids of processes to stop, and installs bench_cleanup on EXIT. Call it once,
# before starting anything.
bench_setup() {
    work=$(mktemp -d "/dev/shm/upman-bench-$1.XXXXXX")
    chmod 755 "$work"
    pids=()
    trap bench_cleanup EXIT
}

# Stops what the script started (the processes in $pids, then waits for them) and removes $work.
bench_cleanup() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    [ -n "${work:-}" ] && rm -rf "$work"
}

# fail MESSAGE: stops the benchmark with that message, and the last lines of $fail_log if it is set.
fail() {
    echo "benchmark failed: $1" >&2
    if [ -n "${fail_log:-}" ] && [ -f "$fail_log" ]; then tail -5 "$fail_log" >&2; fi
    exit 1
}

# start_upman BINARY NAME [SERVE ARGS...]: `BINARY serve` on a port it picks itself (--port 0), data
# in $work/NAME, no processing jobs, log level warning, its output in $work/NAME.log; returns once it
# answers /healthz and its admin token is written. Sets server_pid, server_port, server_url and
# server_token, and adds the process to $pids. Environment for the server goes in front of the call
# (`UPMAN_MULTIPART_THRESHOLD=5MiB start_upman ...`). Fails the benchmark if it does not start in 60 s.
start_upman() {
    local binary=$1 name=$2 log
    shift 2
    log="$work/$name.log"
    "$binary" serve --data "$work/$name" --port 0 --jobs "" --log-level warning "$@" >"$log" 2>&1 &
    server_pid=$!
    pids+=("$server_pid")
    server_port=""
    for _ in $(seq 600); do
        if [ -z "$server_port" ]; then
            server_port=$(sed -n 's|.*listening on http://[^ ]*:\([0-9][0-9]*\) .*|\1|p' "$log" | head -1)
        fi
        if [ -n "$server_port" ] && [ -s "$work/$name/admin.token" ] \
            && curl -sf "http://127.0.0.1:$server_port/healthz" >/dev/null; then
            server_url="http://127.0.0.1:$server_port"
            server_token=$(cat "$work/$name/admin.token")
            return 0
        fi
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    fail_log=$log fail "upman serve ($name, $binary) did not start"
}

# stop_server PID: SIGTERM, then waits for it to exit (it checkpoints the database on the way out).
stop_server() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# cpu_seconds PID: user + system CPU time the process has used so far, in seconds.
cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f\n", ($12 + $13) / hz }' "/proc/$1/stat"
}

# start_nginx NAME SERVER_DIRECTIVES: nginx (one worker, in the foreground, a child of this script)
# on a free port with `server { listen 127.0.0.1:PORT; SERVER_DIRECTIVES }`, files in $work/NAME.
# Sets nginx_port and nginx_pid and adds it to $pids; returns once it answers.
start_nginx() {
    local dir="$work/$1"
    mkdir -p "$dir/tmp"
    chmod -R 777 "$dir"
    nginx_port=$(free_port)
    cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/tmp;
    server { listen 127.0.0.1:$nginx_port; $2 }
}
CONF
    nginx -c "$dir/nginx.conf" -p "$dir" 2>>"$dir/error.log" &
    nginx_pid=$!
    pids+=("$nginx_pid")
    for _ in $(seq 100); do
        curl -s -o /dev/null "http://127.0.0.1:$nginx_port/" && return 0
        kill -0 "$nginx_pid" 2>/dev/null || break
        sleep 0.1
    done
    fail_log="$dir/error.log" fail "nginx ($1) did not start"
}

# serve_supports BINARY OPTION: whether `BINARY serve --help` lists OPTION (an older binary may not).
serve_supports() { "$1" serve --help 2>&1 | grep -q -- "$2"; }
