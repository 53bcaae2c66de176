#!/usr/bin/env bash
# Sluice against nginx and HAProxy, side by side in one run, on one pinned core each.
# What each mode measures and how to read the tables: bench/README.md.
set -euo pipefail
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH/.." && pwd)
LIB=$BENCH/lib
TEMPLATES=$LIB/templates
CMDLINE="bench/run.sh"
for arg in "$@"; do
    if [[ $arg =~ ^[A-Za-z0-9_,./:=+-]+$ ]]; then CMDLINE+=" $arg"; else CMDLINE+=" $(printf '%q' "$arg")"; fi
done

usage() {
    cat <<'EOF'
usage: bench/run.sh MODE [options]

modes:
  engine      static hello servers, one worker each: sluice-hello, nginx, HAProxy
  proxy       the three as reverse proxies in front of one shared nginx backend
  callgrind   instructions per request under valgrind --tool=callgrind and syscalls per
              request under strace -f -c (engine servers; with --proxy: the proxies)
  idle        memory per idle keep-alive connection: RSS/PSS before and with C idle clients
              (--idle C), and wrk -c50 p99 without and with them (engine servers; with
              --proxy: the proxies)
  sync        config distribution (sluice-control → one sluice-proxy data plane): publish →
              served latency over --publishes N (default 100), wrk through the data plane
              with and without publishes, and the compile cost of a --routes N snapshot
              (default 10,000) at start and on SIGHUP (--only latency|compile: one half;
              --interval S: seconds between publishes under wrk, default 0.1)

options:
  --rounds N         interleaved rounds (default 5; --quick: 2)
  --duration S       seconds per wrk run (default 10; --quick: 3)
  --connections C    wrk connections (default 50)
  --pipeline N       wrk sends N pipelined requests per write (lib/pipeline.lua; default 1: off):
                     the client then costs far less per request than the server, so req/s shows
                     server capacity instead of wrk's ceiling (a different test: say so)
  --quick            short run: the --quick defaults above, N1/N2 = 500/2500 in callgrind mode
  --n1 N --n2 N      callgrind: requests in the short and the long server run (default 2000, 12000)
  --proxy            callgrind, idle: measure the proxies instead of the hello servers
  --observability    proxy: instead of nginx/HAProxy/Sluice, two sluice-proxy runs interleaved:
                     sluice-obs-off (--metrics off, --access-log off) and sluice-obs-on (metrics
                     on, --access-log FILE, /metrics scraped once a second during each run);
                     results go to ...-proxy-observability.md. callgrind --proxy: the same two
                     variants under callgrind (instructions per request, every thread)
  --policy           proxy: two sluice-proxy runs interleaved: sluice-plain (the routes as they are,
                     --metrics off) and sluice-policy (every route auth: jwt with an RS256 key, one
                     consumer on a tier limit no run reaches: lib/policy.py; metrics on), the
                     DESIGN.md target pair; every request of both carries the
                     same valid token (so the policy variant serves it from its verified-token
                     cache after the first); results go to ...-proxy-policy.md. callgrind --proxy:
                     the same two variants under callgrind
  --routes N         proxy, callgrind --proxy, idle --proxy: every proxy gets N routes
                     /r/0000 … (lib/routes.py), all to the backend; wrk requests the middle one
                     (default 1; results go to ...-proxy-routesN.md when given)
  --idle C           idle: idle keep-alive connections held open (default 10000)
  --no-strace        callgrind: skip the strace -c runs (syscalls per request)
  --servers LIST     comma-separated subset of nginx,haproxy,sluice (default: all three)
  --strict           a server that cannot be measured (missing binary, failed build) is an error
  --no-build         do not run swift build; use the release binaries already built
  --out FILE         results file (default bench/results/YYYY-MM-DD-MODE.md)
  --wait-idle S      before each measured run, wait up to S seconds for both cores to be under
                     10% busy (other people's builds on a shared machine); default 0: no wait
  --nice             run servers, backend and wrk at nice -20, each in a session (autogroup) of
                     its own at nice -20 (lib/top-priority.sh; root): other people's builds then
                     get about 1% of a core while they compete, so they barely disturb the run
  --keep             keep the temp dir (configs, logs, wrk and callgrind output)

SLUICE_BIN_DIR=DIR takes sluice-hello / sluice-proxy from DIR instead of building them.
EOF
}

die() { echo "run.sh: FAIL: $*" >&2; exit 1; }
note() { echo "== $*"; }

# ---- arguments ------------------------------------------------------------------------------

[ $# -ge 1 ] || { usage >&2; exit 2; }
MODE=$1
shift
case $MODE in
    engine | proxy | callgrind | idle | sync) ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
esac

rounds="" duration="" duration_given="" connections=50 quick=0 proxy=0 servers="nginx,haproxy,sluice"
build=1 strict=0 keep=0 out="" n1="" n2="" wait_idle=0 nice=0 strace=1 pipeline=1 observability=0 policy=0
routes=1 routes_given=0 idle_connections=10000 publishes=100 sync_what=all interval=0.1
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) rounds=${2:?--rounds needs a value}; shift 2 ;;
        --duration) duration=${2:?--duration needs a value}; duration_given=$duration; shift 2 ;;
        --connections) connections=${2:?--connections needs a value}; shift 2 ;;
        --pipeline) pipeline=${2:?--pipeline needs a value}; shift 2 ;;
        --routes) routes=${2:?--routes needs a value}; routes_given=1; shift 2 ;;
        --idle) idle_connections=${2:?--idle needs a value}; shift 2 ;;
        --publishes) publishes=${2:?--publishes needs a value}; shift 2 ;;
        --interval) interval=${2:?--interval needs a value}; shift 2 ;;
        --only) sync_what=${2:?--only needs a value}; shift 2 ;;
        --n1) n1=${2:?--n1 needs a value}; shift 2 ;;
        --n2) n2=${2:?--n2 needs a value}; shift 2 ;;
        --servers) servers=${2:?--servers needs a value}; shift 2 ;;
        --out) out=${2:?--out needs a value}; shift 2 ;;
        --wait-idle) wait_idle=${2:?--wait-idle needs a value}; shift 2 ;;
        --quick) quick=1; shift ;;
        --proxy) proxy=1; shift ;;
        --observability) observability=1; shift ;;
        --policy) policy=1; shift ;;
        --no-strace) strace=0; shift ;;
        --strict) strict=1; shift ;;
        --no-build) build=0; shift ;;
        --keep) keep=1; shift ;;
        --nice) nice=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done
if ((quick)); then
    rounds=${rounds:-2} duration=${duration:-3} n1=${n1:-500} n2=${n2:-2500} warm=1
else
    rounds=${rounds:-5} duration=${duration:-10} n1=${n1:-2000} n2=${n2:-12000} warm=2
fi
# idle mode: one short wrk run without and one with the idle clients, per server.
if [ "$MODE" = idle ]; then
    if ((quick)); then duration=3; else duration=5; fi
fi
[[ $wait_idle =~ ^[0-9]+$ ]] || die "--wait-idle: not a number of seconds: $wait_idle"
# sync mode: 10 s wrk runs (3 s with --quick), a 10,000-route snapshot unless --routes.
if [ "$MODE" = sync ]; then
    if ((quick)); then duration=3; else duration=${duration_given:-10}; fi
    ((routes_given)) || routes=10000
    [[ $interval =~ ^[0-9]*\.?[0-9]+$ ]] || die "--interval: not a number of seconds: $interval"
    case $sync_what in all | latency | compile) ;; *) die "--only: latency or compile, not $sync_what" ;; esac
fi
for value in "$rounds" "$duration" "$connections" "$n1" "$n2" "$pipeline" "$routes" "$idle_connections" "$publishes"; do
    [[ $value =~ ^[1-9][0-9]*$ ]] || die "not a positive integer: $value"
done
((n2 > n1)) || die "--n2 ($n2) must be larger than --n1 ($n1)"
for name in ${servers//,/ }; do
    case $name in nginx | haproxy | sluice) ;; *) die "--servers: unknown server $name" ;; esac
done
wanted() { [[ ",$servers," == *",$1,"* ]]; }

label=$MODE
[ "$MODE" = callgrind ] && ((proxy)) && label=callgrind-proxy
[ "$MODE" = idle ] && ((proxy)) && label=idle-proxy
# A proxy's route count is in the label when asked for (also --routes 1, to pair with another N).
[ "$MODE" = sync ] && [ "$sync_what" != all ] && label+=-$sync_what
if ((routes_given)) && { [ "$MODE" = proxy ] || ((proxy)); }; then label+=-routes$routes; fi
if [ "$MODE" != callgrind ] && ((pipeline > 1)); then label+=-pipeline$pipeline; fi
if ((observability)); then
    [ "$MODE" = proxy ] || { [ "$MODE" = callgrind ] && ((proxy)); } ||
        die "--observability goes with the proxy mode or callgrind --proxy"
    label+=-observability
fi
if ((policy)); then
    ((observability)) && die "--policy and --observability are separate runs"
    [ "$MODE" = proxy ] || { [ "$MODE" = callgrind ] && ((proxy)); } ||
        die "--policy goes with the proxy mode or callgrind --proxy"
    label+=-policy
fi
out=${out:-$BENCH/results/$(date -u +%F)-$label.md}

# ---- tools ----------------------------------------------------------------------------------

have() { command -v "$1" >/dev/null 2>&1; }

ensure_tools() {
    local need=()
    have nginx || need+=(nginx-light)
    have haproxy || need+=(haproxy)
    have wrk || need+=(wrk)
    have valgrind || need+=(valgrind)
    have strace || need+=(strace)
    have python3 || need+=(python3)
    have taskset || need+=(util-linux)
    [ ${#need[@]} -gt 0 ] || return 0
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    note "installing missing Debian packages: ${need[*]}"
    "${sudo[@]}" apt-get update
    if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}"; then
        # Newer Debian releases dropped nginx-light; plain nginx is the same server.
        need=("${need[@]/nginx-light/nginx}")
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" ||
            die "could not install ${need[*]}"
    fi
}

ensure_tools
# idle mode holds 10,000 connections: the client's sockets and each server's (every server
# inherits this limit). Without CAP_SYS_RESOURCE the hard limit cannot be raised: take it.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$MODE" = idle ] && (($(ulimit -n) < idle_connections + 1000)); then
    die "open-file limit $(ulimit -n) is too low for $idle_connections idle connections (ulimit -Hn: $(ulimit -Hn))"
fi
probe() { python3 "$LIB/probe.py" "$@"; }
# The readings around a measured run run on the client's core, to stay off the server's.
probe_on_client() { taskset -c "$CLIENT_CPU" python3 "$LIB/probe.py" "$@"; }
report() { python3 "$LIB/report.py" "$@"; }

# ---- CPU pinning ----------------------------------------------------------------------------

read -r SERVER_CPU CLIENT_CPU < <(python3 -c '
import os
cpus = sorted(os.sched_getaffinity(0))
print(cpus[0], cpus[1] if len(cpus) > 1 else cpus[0])')
if [ "$SERVER_CPU" = "$CLIENT_CPU" ]; then
    echo "run.sh: WARNING: only one CPU available; server and client share CPU $SERVER_CPU" >&2
fi
if [ "$MODE" = sync ]; then
    PINNING="data plane (sluice-proxy) on CPU $SERVER_CPU; control plane, wrk, the nginx backend and the python3 publisher/poller (lib/sync.py) on CPU $CLIENT_CPU"
elif [ "$MODE" = proxy ] || ((proxy)); then
    PINNING="proxies on CPU $SERVER_CPU; wrk and the shared nginx backend on CPU $CLIENT_CPU"
else
    PINNING="servers on CPU $SERVER_CPU; client on CPU $CLIENT_CPU"
fi
[ "$MODE" = idle ] && PINNING+="; the idle clients (python3) on CPU $CLIENT_CPU"
# The path every client requests: a proxy's measured route (lib/routes.py), or / for the hello
# servers (which answer any path).
REQ_PATH=/
if [ "$MODE" = proxy ] || ((proxy)); then
    REQ_PATH=$(python3 "$LIB/routes.py" path --routes "$routes")
fi
# --nice: top CFS weight for everything measured, not for valgrind (instruction counts do not
# care). Not SCHED_FIFO: the kernel's RT throttling would stall the servers 50 ms a second.
RT=()
if ((nice)) && [ "$MODE" != callgrind ]; then
    [ "$(id -u)" -eq 0 ] || die "--nice needs root (a negative nice and autogroup nice)"
    RT=("$LIB/top-priority.sh")
    PINNING+="; servers, backend and wrk at nice -20 (--nice)"
fi
if [ "$MODE" = callgrind ]; then
    if ((proxy)); then
        PINNING="proxy under valgrind on CPU $SERVER_CPU; client and the shared nginx backend on CPU $CLIENT_CPU"
    else
        PINNING="server under valgrind on CPU $SERVER_CPU; client on CPU $CLIENT_CPU"
    fi
fi

# ---- children and clean-up ------------------------------------------------------------------

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench.XXXXXX")
CHILDREN=()
SKIPPED=()
declare -A PID PORT

running() {
    local state
    state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# Stops one child: SIGTERM, up to 60 s for it to exit (valgrind writes its output then), SIGKILL.
stop_pid() {
    local pid=$1 tries=0
    if running "$pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        while running "$pid" && ((tries < 600)); do
            sleep 0.1
            tries=$((tries + 1))
        done
        running "$pid" && kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    forget "$pid"
}

# forget PID: PID was reaped; it must not be signalled again (the number may be reused).
forget() {
    local pid kept=()
    for pid in "${CHILDREN[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
    CHILDREN=("${kept[@]}")
}

# run_child COMMAND...: runs COMMAND as a tracked child and waits for it, returning its status.
# In the background, so that a signal to this script is handled at once (bash defers traps while
# a foreground command runs) and the child is stopped with the servers.
run_child() {
    local pid status=0
    "$@" &
    pid=$!
    CHILDREN+=("$pid")
    wait "$pid" || status=$?
    forget "$pid"
    return "$status"
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    local pid
    for pid in "${CHILDREN[@]}"; do running "$pid" && kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${CHILDREN[@]}"; do stop_pid "$pid"; done
    if ((keep)); then echo "== kept $WORK"; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
# fd 3 is the script's own stderr: a trap can run while a function's output is redirected.
exec 3>&2
trap 'echo "run.sh: interrupted" >&3; exit 130' INT TERM

skip() {
    SKIPPED+=("$1")
    echo "== SKIP: $1" >&2
    if ((strict)); then die "--strict: $1"; fi
}

show_logs() {
    local name=$1 file
    for file in "$WORK/$name.out" "$WORK/$name.err" "$WORK/$name/error.log" "$WORK/$name.valgrind"; do
        [ -s "$file" ] || continue
        echo "---- $file (last 30 lines)" >&2
        tail -n 30 "$file" >&2
    done
}

# launch NAME CPU COMMAND...: starts COMMAND pinned to CPU, output in $WORK/NAME.out and .err.
launch() {
    local name=$1 cpu=$2
    shift 2
    echo "$*" >"$WORK/$name.cmd"
    taskset -c "$cpu" "${RT[@]}" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null &
    PID[$name]=$!
    CHILDREN+=("$!")
}

# reap PID: sets REAPED_STATUS to the exit status of a child that has exited. Not in $(...):
# a subshell cannot wait for this shell's children.
reap() {
    REAPED_STATUS=0
    wait "$1" || REAPED_STATUS=$?
    forget "$1"
}

# await_port NAME PORT TIMEOUT: until NAME listens on PORT; fails loudly if it exits first.
await_port() {
    local name=$1 port=$2 timeout=$3 rc=0
    probe wait-listen --port "$port" --pid "${PID[$name]}" --timeout "$timeout" || rc=$?
    case $rc in
        0) return 0 ;;
        3)
            reap "${PID[$name]}"
            show_logs "$name"
            die "$name exited with status $REAPED_STATUS before listening"
            ;;
        *) show_logs "$name"; die "$name did not listen on 127.0.0.1:$port within ${timeout}s" ;;
    esac
}

# render TEMPLATE DEST KEY VALUE...: copies TEMPLATE with every @KEY@ replaced by VALUE. A line
# that is just @ROUTES@ becomes the proxy's --routes set (lib/routes.py ROUTES_FOR), when set.
ROUTES_FOR=""
render() {
    local template=$1 dest=$2 script=()
    shift 2
    while [ $# -ge 2 ]; do
        script+=(-e "s|@$1@|$2|g")
        shift 2
    done
    if [ -n "$ROUTES_FOR" ]; then
        python3 "$LIB/routes.py" "$ROUTES_FOR" --routes "$routes" >"$dest.routes"
        script+=(-e "/^@ROUTES@\$/{r $dest.routes" -e 'd}')
    fi
    sed "${script[@]}" "$template" >"$dest"
}

# check NAME: the server must answer 200 `hello world` twice on one keep-alive connection.
check() {
    local name=$1
    if ! probe check --port "${PORT[$name]}" --name "$name" --path "$REQ_PATH"; then
        show_logs "$name"
        die "$name does not answer hello world correctly; not measuring it"
    fi
}

# ---- servers --------------------------------------------------------------------------------
# start_* NAME CPU ... [WRAPPER...]: start one server, wait until it listens, set PORT[NAME].
# WRAPPER (valgrind in callgrind mode) goes in front of the server's command.

READY_TIMEOUT=30

start_nginx() {
    local name=$1 cpu=$2 template=$3 master=$4 bport=$5
    shift 5
    local dir=$WORK/$name port
    mkdir -p "$dir"
    port=$(probe freeport)
    ROUTES_FOR=""
    [[ $template == *proxy* ]] && ROUTES_FOR=nginx
    render "$TEMPLATES/$template" "$dir/nginx.conf" DIR "$dir" PORT "$port" MASTER "$master" BPORT "$bport"
    launch "$name" "$cpu" "$@" nginx -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf"
    PORT[$name]=$port
    await_port "$name" "$port" "$READY_TIMEOUT"
}

start_haproxy() {
    local name=$1 cpu=$2 template=$3 bport=$4
    shift 4
    local dir=$WORK/$name port
    mkdir -p "$dir"
    port=$(probe freeport)
    ROUTES_FOR=""
    [[ $template == *proxy* ]] && ROUTES_FOR=haproxy
    render "$TEMPLATES/$template" "$dir/haproxy.cfg" PORT "$port" BPORT "$bport"
    launch "$name" "$cpu" "$@" haproxy -db -f "$dir/haproxy.cfg"
    PORT[$name]=$port
    await_port "$name" "$port" "$READY_TIMEOUT"
}

# resolve_sluice PRODUCT: sets SLUICE_BIN to a release binary of PRODUCT, building it unless
# --no-build or SLUICE_BIN_DIR; returns 1 (after a SKIP message) when there is none.
declare -A SLUICE_BINS
resolve_sluice() {
    local product=$1 bin="" bindir
    if [ -n "${SLUICE_BINS[$product]:-}" ]; then SLUICE_BIN=${SLUICE_BINS[$product]}; return 0; fi
    if [ -n "${SLUICE_BIN_DIR:-}" ]; then
        bin=$SLUICE_BIN_DIR/$product
    elif ! have swift; then
        skip "sluice: no swift toolchain to build $product"
        return 1
    else
        if ((build)); then
            note "building $product: swift build -c release --product $product"
            if ! (cd "$REPO" && swift build -c release --product "$product") >"$WORK/build-$product.log" 2>&1; then
                tail -n 20 "$WORK/build-$product.log" >&2
                skip "sluice: swift build -c release --product $product failed (log above)"
                return 1
            fi
        fi
        bindir=$(cd "$REPO" && swift build -c release --show-bin-path 2>/dev/null) || bindir=""
        bin=$bindir/$product
    fi
    if [ ! -x "$bin" ]; then
        skip "sluice: binary $bin is missing"
        return 1
    fi
    SLUICE_BINS[$product]=$bin
    SLUICE_BIN=$bin
}

# start_sluice NAME CPU KEY COMMAND... : COMMAND prints `listening KEY=127.0.0.1:PORT ...` once
# bound to the port 0 it was given. A binary that exits 0 without listening is a placeholder
# (skipped); any other failure is fatal.
start_sluice() {
    local name=$1 cpu=$2 key=$3 rc=0 port status
    shift 3
    launch "$name" "$cpu" "$@"
    port=$(probe wait-line --file "$WORK/$name.out" --key "$key" --pid "${PID[$name]}" \
        --timeout "$READY_TIMEOUT") || rc=$?
    case $rc in
        0) ;;
        3)
            reap "${PID[$name]}"
            status=$REAPED_STATUS
            if [ "$status" = 0 ]; then
                skip "sluice: $name exited 0 without listening (a placeholder binary?), it printed: $(head -c 200 "$WORK/$name.out" | tr '\n' ' ')"
                return 1
            fi
            show_logs "$name"
            die "$name exited with status $status before printing 'listening $key=...'"
            ;;
        *) show_logs "$name"; die "$name printed no 'listening $key=...' line within ${READY_TIMEOUT}s" ;;
    esac
    PORT[$name]=$port
}

# ---- wrk ------------------------------------------------------------------------------------

# Sets CHILDREN_NS: user + system time of this shell's reaped children (bash's `times`, second
# line), in ns. Run in this shell, not in $(...): a subshell has its own children. Taken right
# before and after wrk, the difference is wrk's own CPU time.
children_cpu_ns() {
    local line field minutes seconds total=0
    times >"$WORK/times"
    { read -r line; read -r line; } <"$WORK/times"
    for field in $line; do
        minutes=${field%%m*}
        seconds=${field#*m}
        seconds=${seconds%s}
        total=$((total + minutes * 60000000000 + 10#${seconds%.*} * 1000000000 + 10#${seconds#*.} * 1000000))
    done
    CHILDREN_NS=$total
}

TICK_NS=$((1000000000 / $(getconf CLK_TCK)))
WRK_SCRIPT=() WRK_SCRIPT_ARGS=() WRK_HEADERS=()
if ((pipeline > 1)); then
    WRK_SCRIPT=(-s "$LIB/pipeline.lua")
    WRK_SCRIPT_ARGS=(-- "$pipeline")
fi

# Sets CORE_BUSY and CORE_TOTAL, in USER_HZ ticks, of the server's core from /proc/stat: busy is
# user, nice, system, irq, softirq and steal; total adds idle and iowait. Read by bash itself
# (no process started), right around wrk.
read_core() {
    local label user nice system idle iowait irq softirq steal rest
    while read -r label user nice system idle iowait irq softirq steal rest; do
        if [ "$label" = "cpu$SERVER_CPU" ]; then
            CORE_BUSY=$((user + nice + system + irq + softirq + steal))
            CORE_TOTAL=$((CORE_BUSY + idle + iowait))
            return 0
        fi
    done </proc/stat
    die "no cpu$SERVER_CPU line in /proc/stat"
}

# run_wrk NAME SECONDS FILE: one wrk run against NAME; sets CPU_NS (the server's on-CPU time),
# CORE_NS (everything that ran on the server's core) over SPAN_NS (that core's busy + idle time
# around wrk), CLIENT_NS (wrk's CPU time), BACKEND_NS (the proxy-mode backend's CPU time, 0
# without one) and WALL_NS.
run_wrk() {
    local name=$1 seconds=$2 file=$3 pid=${PID[$1]} cpu0 cpu1 core0 core1 t0 t1 wrk0 wrk1
    local backend=${PID[backend]:-} backend0=0 backend1=0 span0 span1
    read -r cpu0 backend0 < <(probe_on_client cputime --pid "$pid" ${backend:+--also "$backend"})
    t0=$(date +%s%N)
    read_core
    core0=$CORE_BUSY span0=$CORE_TOTAL
    children_cpu_ns
    wrk0=$CHILDREN_NS
    if ! run_child taskset -c "$CLIENT_CPU" "${RT[@]}" wrk -t1 -c"$connections" -d"${seconds}s" --latency \
        "${WRK_HEADERS[@]}" "${WRK_SCRIPT[@]}" "http://127.0.0.1:${PORT[$name]}$REQ_PATH" "${WRK_SCRIPT_ARGS[@]}" >"$file" 2>&1; then
        cat "$file" >&2
        die "wrk failed against $name"
    fi
    children_cpu_ns
    wrk1=$CHILDREN_NS
    read_core
    core1=$CORE_BUSY span1=$CORE_TOTAL
    t1=$(date +%s%N)
    read -r cpu1 backend1 < <(probe_on_client cputime --pid "$pid" ${backend:+--also "$backend"})
    if ! running "$pid"; then
        show_logs "$name"
        die "$name died during a wrk run"
    fi
    CPU_NS=$((cpu1 - cpu0))
    CORE_NS=$(((core1 - core0) * TICK_NS))
    SPAN_NS=$(((span1 - span0) * TICK_NS))
    CLIENT_NS=$((wrk1 - wrk0))
    BACKEND_NS=$((${backend1:-0} - ${backend0:-0}))
    WALL_NS=$((t1 - t0))
}

# params_routes: the route set, for the parameters line of proxy runs.
params_routes() {
    if [ "$MODE" = proxy ] || ((proxy)); then
        echo ", $routes route(s) per proxy (/r/0000 …, lib/routes.py), every client requests $REQ_PATH"
    fi
}

params_load() {
    local depth=""
    ((pipeline > 1)) && depth=", $pipeline requests pipelined per write (lib/pipeline.lua)"
    echo "rounds $rounds × ${duration}s per server, wrk -t1 -c$connections --latency$depth, warm-up ${warm}s each, idle wait up to ${wait_idle}s before each run$(params_routes)"
}

write_env() {
    local skipped
    skipped=$(IFS=';'; echo "${SKIPPED[*]:-}")
    report env --repo "$REPO" --cmdline "$CMDLINE" --mode "$label" --pinning "$PINNING" \
        --params "$1" --skipped "$skipped" --load-start "$LOAD_START" >"$WORK/env.json"
}

# measure NAME...: warm each, then interleaved rounds with the order rotated each round.
measure() {
    local names=("$@") count=$# round index name
    [ "$count" -gt 0 ] || die "nothing to measure"
    note "pinning: $PINNING"
    note "$(params_load)"
    for name in "${names[@]}"; do
        note "warming $name (${warm}s)"
        run_wrk "$name" "$warm" "$WORK/warm-$name.txt"
    done
    : >"$WORK/runs.jsonl"
    for ((round = 1; round <= rounds; round++)); do
        for ((index = 0; index < count; index++)); do
            name=${names[$(((index + round - 1) % count))]}
            if ((wait_idle > 0)); then
                echo "   idle wait: $(probe wait-idle --cores "$SERVER_CPU,$CLIENT_CPU" --percent 10 --timeout "$wait_idle")"
            fi
            run_wrk "$name" "$duration" "$WORK/wrk-$round-$name.txt"
            report record --server "$name" --round "$round" --wrk "$WORK/wrk-$round-$name.txt" \
                --cpu-ns "$CPU_NS" --core-ns "$CORE_NS" --span-ns "$SPAN_NS" --client-ns "$CLIENT_NS" \
                --backend-ns "$BACKEND_NS" --wall-ns "$WALL_NS" >>"$WORK/runs.jsonl"
        done
    done
    write_env "$(params_load)"
    echo
    report summary --runs "$WORK/runs.jsonl" --env "$WORK/env.json" --out "$out"
    echo
    note "written to ${out#"$REPO"/}"
}

# ---- modes ----------------------------------------------------------------------------------

mode_engine() {
    local measured=()
    if wanted nginx; then
        start_nginx nginx "$SERVER_CPU" nginx-hello.conf on ""
        check nginx
        measured+=(nginx)
    fi
    if wanted haproxy; then
        start_haproxy haproxy "$SERVER_CPU" haproxy-hello.cfg ""
        check haproxy
        measured+=(haproxy)
    fi
    if wanted sluice && resolve_sluice sluice-hello &&
        start_sluice sluice "$SERVER_CPU" http "$SLUICE_BIN" --listen 127.0.0.1:0 --workers 1; then
        check sluice
        measured+=(sluice)
    fi
    measure "${measured[@]}"
}

# The shared backend of proxy mode: nginx serving hello, one worker, on the client's CPU.
start_backend() {
    start_nginx backend "$CLIENT_CPU" nginx-hello.conf on ""
    check backend
}

# --observability: the same sluice-proxy with metrics and the access log off, then on (the access
# log to a file in $WORK, /metrics scraped every second by a background loop on the client's CPU).
mode_proxy_observability() {
    local measured=() bport variant
    start_backend
    bport=${PORT[backend]}
    resolve_sluice sluice-proxy || die "no sluice-proxy binary"
    mkdir -p "$WORK/sluice"
    python3 "$LIB/routes.py" sluice --routes "$routes" --bport "$bport" >"$WORK/sluice/snapshot.json"
    for variant in off on; do
        local flags=(--metrics off --access-log off)
        [ "$variant" = on ] && flags=(--metrics on --access-log "$WORK/sluice/access.log" --admin-listen 127.0.0.1:0)
        start_sluice "sluice-obs-$variant" "$SERVER_CPU" proxy "$SLUICE_BIN" --config "$WORK/sluice/snapshot.json" \
            --listen 127.0.0.1:0 --workers 1 "${flags[@]}" || die "sluice-obs-$variant did not start"
        check "sluice-obs-$variant"
        measured+=("sluice-obs-$variant")
    done
    local admin
    admin=$(sed -n 's/.*admin=127.0.0.1:\([0-9]*\).*/\1/p' "$WORK/sluice-obs-on.out")
    [ -n "$admin" ] || die "sluice-obs-on printed no admin port"
    taskset -c "$CLIENT_CPU" bash -c "while sleep 1; do curl -s -o /dev/null http://127.0.0.1:$admin/metrics || true; done" &
    CHILDREN+=("$!")
    measure "${measured[@]}"
    note "access log: $(wc -l <"$WORK/sluice/access.log") lines, $(du -h "$WORK/sluice/access.log" | cut -f1)"
}

# --policy: lib/policy.py writes the JWT + tier variant of the routes and the token every request
# (wrk's and the probes') carries, to both variants alike.
policy_files() {
    local dir=$1 bport=$2
    mkdir -p "$dir"
    python3 "$LIB/routes.py" sluice --routes "$routes" --bport "$bport" >"$dir/snapshot.json"
    python3 "$LIB/policy.py" --snapshot "$dir/snapshot.json" --dir "$dir" || die "lib/policy.py failed"
    export BENCH_AUTHORIZATION="Bearer $(cat "$dir/token")"
    WRK_HEADERS=(-H "Authorization: $BENCH_AUTHORIZATION")
}

mode_proxy_policy() {
    local measured=() bport
    start_backend
    bport=${PORT[backend]}
    resolve_sluice sluice-proxy || die "no sluice-proxy binary"
    policy_files "$WORK/sluice" "$bport"
    start_sluice sluice-plain "$SERVER_CPU" proxy "$SLUICE_BIN" --config "$WORK/sluice/snapshot.json" \
        --listen 127.0.0.1:0 --workers 1 --metrics off || die "sluice-plain did not start"
    check sluice-plain
    start_sluice sluice-policy "$SERVER_CPU" proxy "$SLUICE_BIN" --config "$WORK/sluice/snapshot-policy.json" \
        --listen 127.0.0.1:0 --workers 1 || die "sluice-policy did not start"
    check sluice-policy
    measure sluice-plain sluice-policy
}

mode_proxy() {
    local measured=() bport
    if ((observability)); then mode_proxy_observability; return; fi
    if ((policy)); then mode_proxy_policy; return; fi
    start_backend
    bport=${PORT[backend]}
    if wanted nginx; then
        start_nginx nginx "$SERVER_CPU" nginx-proxy.conf on "$bport"
        check nginx
        measured+=(nginx)
    fi
    if wanted haproxy; then
        start_haproxy haproxy "$SERVER_CPU" haproxy-proxy.cfg "$bport"
        check haproxy
        measured+=(haproxy)
    fi
    if wanted sluice && resolve_sluice sluice-proxy; then
        mkdir -p "$WORK/sluice"
        python3 "$LIB/routes.py" sluice --routes "$routes" --bport "$bport" >"$WORK/sluice/snapshot.json"
        if start_sluice sluice "$SERVER_CPU" proxy "$SLUICE_BIN" --config "$WORK/sluice/snapshot.json" \
            --listen 127.0.0.1:0 --workers 1; then
            check sluice
            measured+=(sluice)
        fi
    fi
    measure "${measured[@]}"
}

# traced_run NAME N TOOL: one run of server NAME under TOOL (callgrind: valgrind
# --tool=callgrind; strace: strace -f -c) serving N requests on one keep-alive connection;
# appends the run's Ir total or syscall counts to $WORK/traced.jsonl.
traced_run() {
    local name=$1 n=$2 tool=$3 run=$3-$1-$2 bport=${PORT[backend]:-} child
    local data=$WORK/$run.data wrapper
    case $tool in
        callgrind) wrapper=(valgrind --tool=callgrind "--callgrind-out-file=$data" "--log-file=$WORK/$run.valgrind") ;;
        strace) wrapper=(strace -f -c -o "$data") ;;
    esac
    READY_TIMEOUT=180
    case $name in
        nginx)
            if ((proxy)); then
                start_nginx "$run" "$SERVER_CPU" nginx-proxy.conf off "$bport" "${wrapper[@]}"
            else
                start_nginx "$run" "$SERVER_CPU" nginx-hello.conf off "" "${wrapper[@]}"
            fi
            ;;
        haproxy)
            if ((proxy)); then
                start_haproxy "$run" "$SERVER_CPU" haproxy-proxy.cfg "$bport" "${wrapper[@]}"
            else
                start_haproxy "$run" "$SERVER_CPU" haproxy-hello.cfg "" "${wrapper[@]}"
            fi
            ;;
        sluice-plain | sluice-policy)
            local config=snapshot.json metrics=off
            [ "$name" = sluice-policy ] && config=snapshot-policy.json metrics=on
            start_sluice "$run" "$SERVER_CPU" proxy "${wrapper[@]}" "$SLUICE_BIN" \
                --config "$WORK/policy/$config" --listen 127.0.0.1:0 --workers 1 --metrics "$metrics" || return 1
            ;;
        sluice-obs-off | sluice-obs-on)
            local flags=(--metrics off --access-log off)
            [ "$name" = sluice-obs-on ] && flags=(--metrics on --access-log "$WORK/$run/access.log")
            mkdir -p "$WORK/$run"
            python3 "$LIB/routes.py" sluice --routes "$routes" --bport "$bport" >"$WORK/$run/snapshot.json"
            start_sluice "$run" "$SERVER_CPU" proxy "${wrapper[@]}" "$SLUICE_BIN" \
                --config "$WORK/$run/snapshot.json" --listen 127.0.0.1:0 --workers 1 "${flags[@]}" || return 1
            ;;
        sluice)
            if ((proxy)); then
                mkdir -p "$WORK/$run"
                python3 "$LIB/routes.py" sluice --routes "$routes" --bport "$bport" >"$WORK/$run/snapshot.json"
                start_sluice "$run" "$SERVER_CPU" proxy "${wrapper[@]}" "$SLUICE_BIN" \
                    --config "$WORK/$run/snapshot.json" --listen 127.0.0.1:0 --workers 1 || return 1
            else
                start_sluice "$run" "$SERVER_CPU" http "${wrapper[@]}" "$SLUICE_BIN" \
                    --listen 127.0.0.1:0 --workers 1 || return 1
            fi
            ;;
    esac
    check "$run"
    if ! run_child taskset -c "$CLIENT_CPU" python3 "$LIB/probe.py" load --port "${PORT[$run]}" --requests "$n" --path "$REQ_PATH"; then
        show_logs "$run"
        die "$name failed under load under $tool"
    fi
    if [ "$tool" = strace ]; then
        # strace outlives a SIGTERM of its own; it exits (writing its counts) when the server does.
        for child in $(probe children --pid "${PID[$run]}"); do kill -TERM "$child" 2>/dev/null || true; done
    fi
    stop_pid "${PID[$run]}"
    [ -s "$data" ] || { show_logs "$run"; die "$name under $tool wrote no $data"; }
    report traced-record --server "$name" --n "$n" --tool "$tool" --file "$data" >>"$WORK/traced.jsonl"
}

mode_callgrind() {
    local name n tool tools=(callgrind)
    ((strace)) && tools+=(strace)
    local params="N1 = $n1, N2 = $n2 requests on one keep-alive connection (python3 client), plus 2 check requests in each run; tools: ${tools[*]}$(params_routes)"
    note "pinning: $PINNING"
    note "$params"
    : >"$WORK/traced.jsonl"
    if ((proxy)); then
        start_backend
    fi
    local names=(nginx haproxy sluice)
    ((observability)) && names=(sluice-obs-off sluice-obs-on)
    ((policy)) && names=(sluice-plain sluice-policy) && policy_files "$WORK/policy" "${PORT[backend]}"
    for name in "${names[@]}"; do
        if ((observability || policy)); then
            resolve_sluice sluice-proxy || continue
        elif ! wanted "$name"; then
            continue
        elif [ "$name" = sluice ]; then
            if ((proxy)); then
                resolve_sluice sluice-proxy || continue
            else
                resolve_sluice sluice-hello || continue
            fi
        fi
        for tool in "${tools[@]}"; do
            note "$name under $tool"
            for n in "$n1" "$n2"; do
                traced_run "$name" "$n" "$tool" || continue 3
            done
        done
    done
    write_env "$params"
    echo
    report callgrind-summary --runs "$WORK/traced.jsonl" --env "$WORK/env.json" --out "$out"
    echo
    note "written to ${out#"$REPO"/}"
}

# memory_of NAME: "RSS PSS" in KiB of NAME's process tree (PSS -1 without smaps_rollup).
memory_of() { probe_on_client memory --pid "${PID[$1]}"; }

# idle_run NAME: NAME is started and checked. A warm-up and a wrk run without idle clients; then
# C idle keep-alive clients (lib/probe.py idle, on the client's CPU), memory with them, the same
# wrk run with them, memory again; then the clients close and NAME is stopped. Appends one JSON
# line to $WORK/idle.jsonl.
idle_run() {
    local name=$1 client ready=$WORK/idle-$1.ready tries=0 before with with_wrk after
    local cpu_without wall_without cpu_with wall_with
    note "$name: warming (${warm}s), then wrk -c$connections ${duration}s without idle clients"
    run_wrk "$name" "$warm" "$WORK/warm-$name.txt"
    run_wrk "$name" "$duration" "$WORK/wrk-without-$name.txt"
    cpu_without=$CPU_NS wall_without=$WALL_NS
    before=$(memory_of "$name")
    note "$name: opening $idle_connections idle keep-alive connections (RSS, PSS KiB before: $before)"
    taskset -c "$CLIENT_CPU" python3 "$LIB/probe.py" idle --port "${PORT[$name]}" \
        --connections "$idle_connections" --ready "$ready" --path "$REQ_PATH" \
        >"$WORK/idle-$name.out" 2>"$WORK/idle-$name.err" </dev/null &
    client=$!
    CHILDREN+=("$client")
    until [ -s "$ready" ]; do
        if ! running "$client"; then
            cat "$WORK/idle-$name.err" >&2
            show_logs "$name"
            die "the idle client against $name failed"
        fi
        running "${PID[$name]}" || { show_logs "$name"; die "$name died while idle clients connected"; }
        ((tries++ < 3000)) || die "the idle clients against $name were not ready within 300 s"
        sleep 0.1
    done
    with=$(memory_of "$name")
    note "$name: $(cat "$ready"); RSS, PSS KiB with them: $with; wrk -c$connections ${duration}s with them"
    run_wrk "$name" "$duration" "$WORK/wrk-with-$name.txt"
    cpu_with=$CPU_NS wall_with=$WALL_NS
    with_wrk=$(memory_of "$name")
    stop_pid "$client"
    cat "$WORK/idle-$name.out"
    [ -s "$WORK/idle-$name.err" ] && cat "$WORK/idle-$name.err" >&2
    # The server sees the clients' FINs at once; a moment for it to close and free them.
    sleep 1
    after=$(memory_of "$name")
    running "${PID[$name]}" || { show_logs "$name"; die "$name died during the idle run"; }
    report idle-record --server "$name" --connections "$idle_connections" --ready "$ready" \
        --before "$before" --with "$with" --with-wrk "$with_wrk" --after "$after" \
        --wrk-without "$WORK/wrk-without-$name.txt" --wrk-with "$WORK/wrk-with-$name.txt" \
        --cpu-without-ns "$cpu_without" --cpu-with-ns "$cpu_with" \
        --wall-without-ns "$wall_without" --wall-with-ns "$wall_with" \
        --client-log "$WORK/idle-$name.out" >>"$WORK/idle.jsonl"
    stop_pid "${PID[$name]}"
}

mode_idle() {
    local params="$idle_connections idle keep-alive connections (one GET each, then idle; python3, 200 connecting at a time); wrk -t1 -c$connections --latency ${duration}s without, then with them; warm-up ${warm}s; one server at a time$(params_routes)"
    local bport=""
    note "pinning: $PINNING"
    note "$params"
    : >"$WORK/idle.jsonl"
    if ((proxy)); then
        start_backend
        bport=${PORT[backend]}
    fi
    if wanted nginx; then
        if ((proxy)); then
            start_nginx nginx "$SERVER_CPU" nginx-proxy.conf on "$bport"
        else
            start_nginx nginx "$SERVER_CPU" nginx-hello.conf on ""
        fi
        check nginx
        idle_run nginx
    fi
    if wanted haproxy; then
        if ((proxy)); then
            start_haproxy haproxy "$SERVER_CPU" haproxy-proxy.cfg "$bport"
        else
            start_haproxy haproxy "$SERVER_CPU" haproxy-hello.cfg ""
        fi
        check haproxy
        idle_run haproxy
    fi
    if wanted sluice; then
        if ((proxy)); then
            if resolve_sluice sluice-proxy; then
                mkdir -p "$WORK/sluice"
                python3 "$LIB/routes.py" sluice --routes "$routes" --bport "$bport" >"$WORK/sluice/snapshot.json"
                if start_sluice sluice "$SERVER_CPU" proxy "$SLUICE_BIN" --config "$WORK/sluice/snapshot.json" \
                    --listen 127.0.0.1:0 --workers 1; then
                    check sluice
                    idle_run sluice
                fi
            fi
        elif resolve_sluice sluice-hello &&
            start_sluice sluice "$SERVER_CPU" http "$SLUICE_BIN" --listen 127.0.0.1:0 --workers 1; then
            check sluice
            idle_run sluice
        fi
    fi
    write_env "$params"
    echo
    report idle-summary --runs "$WORK/idle.jsonl" --env "$WORK/env.json" --out "$out"
    echo
    note "written to ${out#"$REPO"/}"
}

# sync: config distribution (issue #5), lib/sync.py does the measuring.
mode_sync() {
    local control proxy rt=""
    resolve_sluice sluice-control || die "no sluice-control binary"
    control=$SLUICE_BIN
    resolve_sluice sluice-proxy || die "no sluice-proxy binary"
    proxy=$SLUICE_BIN
    start_backend
    ((${#RT[@]})) && rt=${RT[0]}
    note "pinning: $PINNING"
    local header
    header="# sync: config distribution, $(date -u '+%F %H:%M UTC')

\`$CMDLINE\` — commit $(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet HEAD -- Sources || echo ' (dirty)'), $(nproc) CPUs, load at start $LOAD_START.
Pinning: $PINNING. Backend: nginx hello, 1 worker. What is measured: bench/README.md (sync).

"
    # The publisher/poller runs at the same priority as what it measures (--nice).
    taskset -c "$CLIENT_CPU" "${RT[@]}" python3 "$LIB/sync.py" --control "$control" --proxy "$proxy" --bport "${PORT[backend]}" \
        --server-cpu "$SERVER_CPU" --client-cpu "$CLIENT_CPU" --work "$WORK" --publishes "$publishes" \
        --routes "$routes" --duration "$duration" --connections "$connections" --rounds "$rounds" \
        --interval "$interval" --rt "$rt" \
        --what "$sync_what" --header "$header" --out "$out" &
    local pid=$!
    CHILDREN+=("$pid")
    wait "$pid" || { show_logs control; show_logs dataplane; show_logs fileproxy; die "sync.py failed"; }
    forget "$pid"
}

case $MODE in
    sync) mode_sync ;;
    engine) mode_engine ;;
    proxy) mode_proxy ;;
    callgrind) mode_callgrind ;;
    idle) mode_idle ;;
esac
