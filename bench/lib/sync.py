#!/usr/bin/env python3
"""sync mode of bench/run.sh: config distribution, control plane → data plane. Stdlib only.

  sync.py --control BIN --proxy BIN --bport P --server-cpu C --client-cpu C --work DIR
          [--publishes N] [--routes N] [--duration S] [--connections C] [--rt CMD] --out FILE

1. publish → served: the control plane (temp SQLite db, port 0) and one data plane
   (`sluice-proxy --control-plane URL --workers 1`, pinned to the server CPU) follow each other.
   Routes: `w` (path_prefix /w, the path wrk requests; never changes) and `r`, whose path_prefix
   becomes /v{i} before publish i. The time is taken from the 201 of `POST /v1/versions` until a
   GET /v{i} through the data plane answers 200 (polled back to back on one keep-alive
   connection; before the swap /v{i} is not routed). N publishes without load, then wrk
   (-t1 -cC, pinned to the client CPU) for S seconds without publishes and S seconds while
   publishing in a loop: req/s, p99 and errors of both.
2. compile cost of --routes N (default 10,000): `sluice-proxy --config FILE` start → listening
   line, N routes minus 1 route (median of 5 starts each), and SIGHUP → /status `generation`
   incremented, for both files (median of 5 reloads each).
"""

import argparse
import http.client
import json
import os
import re
import select
import signal
import statistics
import subprocess
import sys
import time

ADMIN_TOKEN = "bench-admin-token-0123456789abcdef"
DATAPLANE_TOKEN = "bench-dataplane-token-0123456789abcdef"


def fail(message):
    print(f"sync.py: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


class Children:
    """Every process started here; all are stopped on exit."""

    def __init__(self, work, rt):
        self.work = work
        self.rt = rt
        self.procs = []

    def start(self, name, cpu, argv, env=None):
        out = open(os.path.join(self.work, f"{name}.out"), "wb")
        err = open(os.path.join(self.work, f"{name}.err"), "wb")
        full = ["taskset", "-c", str(cpu)] + self.rt + argv
        proc = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                                env={**os.environ, **(env or {})})
        proc.bench_name = name
        proc.bench_out = out
        self.procs.append(proc)
        return proc

    def stop(self, proc):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_all(self):
        for proc in list(self.procs):
            self.stop(proc)


def read_listening(proc, timeout=60):
    """Reads stdout until the `listening k=v ...` line; returns {k: port}."""
    deadline = time.monotonic() + timeout
    buffer = b""
    fd = proc.stdout.fileno()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            proc.bench_out.write(chunk)
            buffer += chunk
            for line in buffer.decode(errors="replace").splitlines():
                if line.startswith("listening "):
                    return {k: int(v.rsplit(":", 1)[1]) for k, v in
                            (pair.split("=", 1) for pair in line.split()[1:])}
        elif proc.poll() is not None:
            break
    fail(f"{proc.bench_name} printed no listening line (exit {proc.poll()}); see {proc.bench_name}.err")


class Client:
    """One keep-alive HTTP/1.1 connection, reconnecting when the server closes it."""

    def __init__(self, port, token=None):
        self.port = port
        self.token = token
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            all_headers = dict(headers or {})
            if self.token:
                all_headers["Authorization"] = f"Bearer {self.token}"
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                all_headers["Content-Type"] = "application/json"
            try:
                self.conn.request(method, path, body=data, headers=all_headers)
                response = self.conn.getresponse()
                payload = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, payload
            except (ConnectionError, http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")


def percentile(values, fraction):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[index]


def summary_row(label, values_ms):
    return (f"| {label} | {len(values_ms)} | {statistics.median(values_ms):.2f} | "
            f"{percentile(values_ms, 0.99):.2f} | {max(values_ms):.2f} | {min(values_ms):.2f} |")


def parse_wrk(text):
    def seconds(value, unit):
        return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
              "requests": int(re.search(r"(\d+) requests in", text).group(1)),
              "non2xx": 0, "socket_errors": 0}
    match = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
    result["p99_ms"] = seconds(*match.groups()) if match else float("nan")
    match = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
    result["p50_ms"] = seconds(*match.groups()) if match else float("nan")
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if match:
        result["non2xx"] = int(match.group(1))
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if match:
        result["socket_errors"] = sum(int(g) for g in match.groups())
    return result


class SyncBench:
    def __init__(self, args, children):
        self.args = args
        self.children = children
        self.lines = []
        self.planes_started = 0

    def say(self, line=""):
        print(line, flush=True)
        self.lines.append(line)

    def start_planes(self):
        args = self.args
        env = {"SLUICE_ADMIN_TOKEN": ADMIN_TOKEN, "SLUICE_DATAPLANE_TOKEN": DATAPLANE_TOKEN}
        self.control = self.children.start(
            "control", args.client_cpu,
            [args.control, "--db", os.path.join(args.work, f"control-{self.planes_started}.db"), "--listen", "127.0.0.1:0"],
            env)
        self.planes_started += 1
        self.control_port = read_listening(self.control)["admin"]
        self.proxy = self.children.start(
            "dataplane", args.server_cpu,
            [args.proxy, "--control-plane", f"http://127.0.0.1:{self.control_port}", "--node-id", "bench",
             "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--workers", "1"],
            {"SLUICE_DATAPLANE_TOKEN": DATAPLANE_TOKEN})
        ports = read_listening(self.proxy)
        self.proxy_port, self.proxy_admin_port = ports["proxy"], ports["admin"]
        self.api = Client(self.control_port, ADMIN_TOKEN)
        self.data_client = Client(self.proxy_port)
        self.expect(self.api.request("POST", "/v1/upstreams", {
            "name": "backend", "targets": [{"url": f"http://127.0.0.1:{args.bport}"}]}), 201, "POST upstream")
        self.expect(self.api.request("POST", "/v1/routes", {
            "name": "w", "path_prefix": "/w", "upstream": "backend"}), 201, "POST route w")
        self.expect(self.api.request("POST", "/v1/routes", {
            "name": "r", "path_prefix": "/v0", "upstream": "backend"}), 201, "POST route r")
        self.publish_index = 0
        self.publish_and_wait()  # first version: the data plane gets its first config

    @staticmethod
    def expect(answer, status, what):
        if answer[0] != status:
            fail(f"{what}: HTTP {answer[0]}, expected {status}: {answer[1][:300]!r}")
        return answer[1]

    def publish_and_wait(self):
        """One route change + publish; returns (publish round trip ms, publish → served ms)."""
        index = self.publish_index
        self.expect(self.api.request("PUT", "/v1/routes/r", {
            "name": "r", "path_prefix": f"/v{index}", "upstream": "backend"}), 200, "PUT route r")
        t0 = time.perf_counter()
        body = self.expect(self.api.request("POST", "/v1/versions", {"comment": f"bench {index}"}), 201,
                           "POST /v1/versions")
        t1 = time.perf_counter()
        version = json.loads(body)["version"]
        probe = self.data_client
        deadline = t1 + 30
        polls = 0
        while True:
            status, _ = probe.request("GET", f"/v{index}")
            polls += 1
            if status == 200:
                break
            if time.perf_counter() > deadline:
                fail(f"version {version} (/v{index}) not served within 30 s; last status {status}")
        t2 = time.perf_counter()
        self.publish_index += 1
        return (t1 - t0) * 1000, (t2 - t1) * 1000, polls

    def proxy_cpu_seconds(self, proc=None):
        """The data plane's (or proc's) user + system CPU time (all threads), from /proc/PID/stat."""
        with open(f"/proc/{(proc or self.proxy).pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def wrk(self, seconds, path, file):
        args = self.args
        argv = ["taskset", "-c", str(args.client_cpu)] + args.rt_list + [
            "wrk", "-t1", f"-c{args.connections}", f"-d{seconds}s", "--latency",
            f"http://127.0.0.1:{self.proxy_port}{path}"]
        return subprocess.Popen(argv, stdout=open(file, "w"), stderr=subprocess.STDOUT)

    def run_latency(self):
        args = self.args
        self.start_planes()
        self.say(f"== control plane 127.0.0.1:{self.control_port}, data plane proxy 127.0.0.1:{self.proxy_port} "
                 f"admin 127.0.0.1:{self.proxy_admin_port}")
        # Warm-up publishes, discarded.
        for _ in range(5):
            self.publish_and_wait()
        publish_ms, served_ms, polls = [], [], []
        cpu0, control0 = self.proxy_cpu_seconds(), self.proxy_cpu_seconds(self.control)
        for _ in range(args.publishes):
            a, b, n = self.publish_and_wait()
            publish_ms.append(a)
            served_ms.append(b)
            polls.append(n)
        swap_cpu_ms = (self.proxy_cpu_seconds() - cpu0) * 1000 / args.publishes
        publish_cpu_ms = (self.proxy_cpu_seconds(self.control) - control0) * 1000 / args.publishes
        self.say(f"== {args.publishes} publishes without load done")

        # Interleaved rounds: wrk without publishes and wrk while publishing every --interval s,
        # the order swapped each round; medians over rounds.
        self.wrk(2, "/w", os.path.join(args.work, "wrk-warm.txt")).wait()
        runs = {"base": [], "publishing": []}
        load_publish_ms, load_served_ms, per_run_publishes = [], [], []
        for round_index in range(args.rounds):
            order = ["base", "publishing"] if round_index % 2 == 0 else ["publishing", "base"]
            for kind in order:
                file = os.path.join(args.work, f"wrk-{round_index}-{kind}.txt")
                cpu0 = self.proxy_cpu_seconds()
                proc = self.wrk(args.duration, "/w", file)
                count = 0
                if kind == "publishing":
                    time.sleep(0.2)
                    next_at = time.perf_counter()
                    while proc.poll() is None:
                        a, b, _ = self.publish_and_wait()
                        if proc.poll() is None:
                            load_publish_ms.append(a)
                            load_served_ms.append(b)
                            count += 1
                        next_at += args.interval
                        pause = next_at - time.perf_counter()
                        if pause > 0:
                            time.sleep(pause)
                        else:
                            next_at = time.perf_counter()
                    per_run_publishes.append(count)
                if proc.wait() != 0:
                    fail(open(file).read())
                cpu1 = self.proxy_cpu_seconds()
                result = parse_wrk(open(file).read())
                result["publishes"] = count
                result["cpu_us"] = (cpu1 - cpu0) * 1e6 / max(1, result["requests"])
                runs[kind].append(result)
        status = json.loads(Client(self.proxy_admin_port).request("GET", "/status")[1])

        self.say()
        self.say(f"### Publish → served, {args.publishes} publishes (after 5 discarded), ms")
        self.say()
        self.say("| measure | n | p50 | p99 | max | min |")
        self.say("| --- | --- | --- | --- | --- | --- |")
        self.say(summary_row("publish → served, idle", served_ms))
        self.say(summary_row("`POST /v1/versions` round trip, idle", publish_ms))
        if load_served_ms:
            self.say(summary_row(f"publish → served, under wrk -c{args.connections} (one every {args.interval * 1000:.0f} ms)",
                                 load_served_ms))
            self.say(summary_row(f"`POST /v1/versions` round trip, under wrk", load_publish_ms))
        self.say()
        self.say(f"CPU per publish, idle (includes the PUT and the polls): data plane {swap_cpu_ms:.2f} ms, "
                 f"control plane {publish_cpu_ms:.2f} ms (clock tick {1000 / os.sysconf('SC_CLK_TCK'):.0f} ms, "
                 f"summed over {args.publishes} publishes)")
        self.say()
        self.say(f"polls of GET /v{{i}} per publish (idle): median {statistics.median(polls):.0f}, max {max(polls)}; "
                 f"data plane /status at the end: {json.dumps(status)}")
        self.say()
        self.say(f"### Hot path during swaps: wrk -t1 -c{args.connections} -d{args.duration}s GET /w through the data plane, "
                 f"{args.rounds} interleaved rounds")
        self.say()
        self.say("| run | round | publishes during run | req/s | p50 ms | p99 ms | non-2xx | socket errors | data plane CPU µs/req |")
        self.say("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for kind, label in (("base", "no publishes"), ("publishing", f"publishing every {args.interval * 1000:.0f} ms")):
            for round_index, result in enumerate(runs[kind], 1):
                self.say(f"| {label} | {round_index} | {result['publishes']} | {result['rps']:.0f} | {result['p50_ms']:.3f} "
                         f"| {result['p99_ms']:.3f} | {result['non2xx']} | {result['socket_errors']} | {result['cpu_us']:.2f} |")
        medians = {kind: {key: statistics.median(r[key] for r in runs[kind]) for key in ("rps", "p50_ms", "p99_ms", "cpu_us")}
                   for kind in runs}
        for kind, label in (("base", "no publishes"), ("publishing", "publishing")):
            m = medians[kind]
            errors = sum(r["non2xx"] + r["socket_errors"] for r in runs[kind])
            self.say(f"| **{label}, median** | | {sum(r['publishes'] for r in runs[kind])} (total) | **{m['rps']:.0f}** "
                     f"| {m['p50_ms']:.3f} | **{m['p99_ms']:.3f}** | {errors} (total) | | **{m['cpu_us']:.2f}** |")
        self.say()
        self.say(f"median req/s publishing / not: {medians['publishing']['rps'] / medians['base']['rps']:.3f}; "
                 f"median p99 publishing / not: {medians['publishing']['p99_ms'] / medians['base']['p99_ms']:.3f}; "
                 f"median data plane CPU per request publishing / not: {medians['publishing']['cpu_us'] / medians['base']['cpu_us']:.3f}")
        self.children.stop(self.proxy)
        self.children.stop(self.control)

    def run_control_compile(self):
        """publish → served with --routes N routes in the control plane (3 publishes)."""
        args = self.args
        self.start_planes()
        sys.path.insert(0, os.path.dirname(__file__))
        import routes as route_sets
        t0 = time.perf_counter()
        for prefix in route_sets.prefixes(args.routes - 2):
            self.expect(self.api.request("POST", "/v1/routes", {
                "name": "r" + prefix.rsplit("/", 1)[1], "path_prefix": prefix, "upstream": "backend"}),
                201, "POST route")
        create_s = time.perf_counter() - t0
        publish_ms, served_ms = [], []
        for _ in range(3):
            a, b, _ = self.publish_and_wait()
            publish_ms.append(a)
            served_ms.append(b)
        self.say()
        self.say(f"### {args.routes:,} routes through the control plane (created with {args.routes - 2:,} "
                 f"`POST /v1/routes` in {create_s:.1f} s), 3 publishes, ms")
        self.say()
        self.say("| measure | n | p50 | p99 | max | min |")
        self.say("| --- | --- | --- | --- | --- | --- |")
        self.say(summary_row("`POST /v1/versions` round trip (validate, canonicalise, hash, store)", publish_ms))
        self.say(summary_row("publish → served (long poll, decode, validate, compile, swap)", served_ms))
        self.children.stop(self.proxy)
        self.children.stop(self.control)

    def start_file_proxy(self, path):
        t0 = time.perf_counter()
        proc = self.children.start("fileproxy", self.args.server_cpu, [
            self.args.proxy, "--config", path, "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0",
            "--workers", "1"])
        ports = read_listening(proc)
        return proc, ports, (time.perf_counter() - t0) * 1000

    def run_compile(self):
        args = self.args
        files = {}
        for count in (1, args.routes):
            path = os.path.join(args.work, f"routes-{count}.json")
            with open(path, "w") as out:
                subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "routes.py"), "sluice",
                                "--routes", str(count), "--bport", str(args.bport)], stdout=out, check=True)
            files[count] = path
        starts = {1: [], args.routes: []}
        reloads = {1: [], args.routes: []}
        for _ in range(5):
            for count in (1, args.routes):
                proc, ports, ms = self.start_file_proxy(files[count])
                starts[count].append(ms)
                admin = Client(ports["admin"])
                generation = json.loads(admin.request("GET", "/status")[1])["generation"]
                t0 = time.perf_counter()
                proc.send_signal(signal.SIGHUP)
                while True:
                    now = json.loads(admin.request("GET", "/status")[1])["generation"]
                    if now > generation:
                        break
                    if time.perf_counter() - t0 > 60:
                        fail(f"SIGHUP of {count} routes: generation still {now} after 60 s")
                reloads[count].append((time.perf_counter() - t0) * 1000)
                self.children.stop(proc)
        big, small = args.routes, 1
        size = os.path.getsize(files[big])
        self.say()
        self.say(f"### Compile cost of a {big:,}-route snapshot ({size:,} bytes), `sluice-proxy --config FILE --workers 1`, ms, 5 runs each")
        self.say()
        self.say("| measure | 1 route (median) | " + f"{big:,} routes (median) | {big:,} routes (max) | difference of medians |")
        self.say("| --- | --- | --- | --- | --- |")
        for label, values in (("start → `listening` line", starts), ("SIGHUP → /status generation +1", reloads)):
            a, b = statistics.median(values[small]), statistics.median(values[big])
            self.say(f"| {label} | {a:.1f} | {b:.1f} | {max(values[big]):.1f} | {b - a:.1f} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--control", required=True)
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--bport", type=int, required=True)
    parser.add_argument("--server-cpu", type=int, required=True)
    parser.add_argument("--client-cpu", type=int, required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--publishes", type=int, default=100)
    parser.add_argument("--routes", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--rt", default="")
    parser.add_argument("--what", choices=["all", "latency", "compile"], default="all")
    parser.add_argument("--header", default="")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    args.rt_list = [args.rt] if args.rt else []
    children = Children(args.work, args.rt_list)
    bench = SyncBench(args, children)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    try:
        if args.what in ("all", "latency"):
            bench.run_latency()
        if args.what in ("all", "compile"):
            bench.run_compile()
            bench.run_control_compile()
    finally:
        children.stop_all()
    with open(args.out, "w") as out:
        out.write(args.header)
        out.write("\n".join(bench.lines).lstrip("\n") + "\n")
    print(f"== written to {args.out}")


if __name__ == "__main__":
    main()
