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
