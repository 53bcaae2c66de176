#!/usr/bin/env python3
"""Parsing and reporting for bench/run.sh. Stdlib only.

  report.py env --repo DIR --cmdline STR --mode M --pinning STR --params STR [--skipped STR]
                [--load-start STR]
                                      machine and tool facts as JSON (stdout)
  report.py record --server S --round R --wrk FILE --cpu-ns N --core-ns N --span-ns N
                   --client-ns N --backend-ns N --wall-ns N
                                      one wrk run as a JSON line (stdout)
  report.py summary --runs FILE --env FILE --out PATH
                                      medians per server as markdown: stdout and PATH
  report.py callgrind-total FILE      the Ir total of a callgrind output file
  report.py traced-record --server S --n N --tool callgrind|strace --file F
                                      one callgrind or strace -c run as a JSON line (stdout)
  report.py callgrind-summary --runs FILE --env FILE --out PATH
                                      instructions and syscalls per request as markdown
  report.py idle-record --server S --connections C --before "RSS PSS" --with "RSS PSS"
                        --with-wrk "RSS PSS" --after "RSS PSS" --wrk-without F --wrk-with F ...
                                      one idle-mode server as a JSON line (stdout)
  report.py idle-summary --runs FILE --env FILE --out PATH
                                      memory per idle connection and p99 with them, markdown
"""

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys

REFERENCE = "nginx"
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}
CPU_BOUND_PERCENT = 90.0
OTHERS_PERCENT = 5.0


def to_ms(value, unit):
    return float(value) * UNIT_MS[unit]


def parse_wrk(text):
    """The numbers we report from `wrk --latency` output; raises ValueError if any is missing."""
    result = {}
    for percent, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s|m|h)\s*$",
                                           text, re.M):
        result[f"p{percent}_ms"] = to_ms(value, unit)
    match = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)", text)
    if match:
        result["requests"] = int(match.group(1))
        result["runtime_s"] = to_ms(match.group(2), match.group(3)) / 1000.0
    match = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if match:
        result["rps"] = float(match.group(1))
    missing = [key for key in ("p50_ms", "p99_ms", "requests", "rps") if key not in result]
    if missing:
        raise ValueError(f"wrk output lacks {', '.join(missing)}:\n{text}")
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    result["socket_errors"] = sum(int(group) for group in match.groups()) if match else 0
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    result["non_2xx"] = int(match.group(1)) if match else 0
    return result


def first_line(command):
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    text = (completed.stdout + completed.stderr).strip()
    return text.splitlines()[0] if text else "not found"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except FileNotFoundError:
        pass
    return "unknown"


def loadavg():
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


def command_env(args):
    commit = first_line(["git", "-C", args.repo, "rev-parse", "--short", "HEAD"])
    # Results files being rewritten by this very run do not make the code dirty.
    dirty = subprocess.run(["git", "-C", args.repo, "status", "--porcelain", "--untracked-files=no",
                            "--", ".", ":!bench/results"],
                           capture_output=True, text=True).stdout.strip()
    branch = first_line(["git", "-C", args.repo, "rev-parse", "--abbrev-ref", "HEAD"])
    env = {
        "mode": args.mode,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "kernel": os.uname().release,
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "nginx": first_line(["nginx", "-v"]),
        "haproxy": first_line(["haproxy", "-v"]),
        "wrk": first_line(["wrk", "-v"]).split("Copyright")[0].strip(),
        "valgrind": first_line(["valgrind", "--version"]),
        "python": first_line([sys.executable, "--version"]),
        "sluice": f"{branch} @ {commit}" + (" (uncommitted changes)" if dirty else ""),
        "command": args.cmdline,
        "pinning": args.pinning,
        "params": args.params,
        "load_start": args.load_start or loadavg(),
        "skipped": [item for item in args.skipped.split(";") if item],
    }
    json.dump(env, sys.stdout, indent=1)
    print()
    return 0


def command_record(args):
    with open(args.wrk) as handle:
        parsed = parse_wrk(handle.read())
    record = {"server": args.server, "round": args.round, "cpu_ns": args.cpu_ns,
              "core_ns": args.core_ns, "span_ns": args.span_ns, "client_ns": args.client_ns,
              "backend_ns": args.backend_ns, "wall_ns": args.wall_ns, **parsed}
    record["cpu_us_per_req"] = (args.cpu_ns / 1000.0 / parsed["requests"]
                                if parsed["requests"] else float("nan"))
    # Against wrk's own run time: the server is idle during wrk's start-up and shutdown.
    busy_ns = parsed.get("runtime_s", 0) * 1e9 or args.wall_ns
    record["cpu_percent"] = 100.0 * args.cpu_ns / busy_ns if busy_ns else float("nan")
    # Everything else that ran on the server's core meanwhile (other processes, their interrupts):
    # time the server could not have, so a run with much of it is disturbed.
    # Over the span of the two readings (USER_HZ ticks, so ±1 tick on each side).
    record["other_percent"] = (max(0.0, 100.0 * (args.core_ns - args.cpu_ns) / args.span_ns)
                               if args.span_ns > 0 else float("nan"))
    record["client_percent"] = 100.0 * args.client_ns / busy_ns if busy_ns else float("nan")
    record["backend_us_per_req"] = (args.backend_ns / 1000.0 / parsed["requests"]
                                    if parsed["requests"] and args.backend_ns else None)
    print(json.dumps(record))
    errors = record["socket_errors"] + record["non_2xx"]
    print(f"   round {args.round} {args.server:8} {record['rps']:>10,.0f} req/s "
          f"{record['cpu_us_per_req']:7.2f} µs/req  p50 {record['p50_ms']:.3f} ms  "
          f"p99 {record['p99_ms']:.3f} ms  server CPU {record['cpu_percent']:.0f}%  "
          f"others on its core {record['other_percent']:.0f}%  wrk CPU {record['client_percent']:.0f}%"
          + (f"  ERRORS {errors}" if errors else ""), file=sys.stderr)
    return 0


def load_lines(path):
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ratio(value, reference):
    if reference is None or not reference or value is None:
        return "n/a"
    return f"{value / reference:.2f}×"


def header_lines(env, title):
    return [
        f"# {title}",
        "",
        f"- date: {env['date']}",
        f"- command: `{env['command']}`",
        f"- parameters: {env['params']}",
        f"- pinning: {env['pinning']}",
        f"- kernel: {env['kernel']}; CPU: {env['cpu']}; cores: {env['cores']}",
        f"- nginx: {env['nginx']}",
        f"- haproxy: {env['haproxy']}",
        f"- wrk: {env['wrk']}; valgrind: {env['valgrind']}; {env['python']}",
        f"- sluice: {env['sluice']}",
        f"- load average at start / end: {env['load_start']} / {loadavg()}",
    ]


def ordered_servers(names):
    preferred = ["nginx", "haproxy", "sluice"]
    return [name for name in preferred if name in names] + sorted(set(names) - set(preferred))


def write_out(lines, path):
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)


def command_summary(args):
    with open(args.env) as handle:
        env = json.load(handle)
    runs = load_lines(args.runs)
    names = ordered_servers({run["server"] for run in runs})
    medians = {}
    for name in names:
        mine = [run for run in runs if run["server"] == name]
        medians[name] = {
            key: statistics.median(run[key] for run in mine)
            for key in ("rps", "cpu_us_per_req", "p50_ms", "p99_ms", "cpu_percent", "other_percent",
                        "client_percent")
        }
        backend = [run["backend_us_per_req"] for run in mine if run.get("backend_us_per_req")]
        medians[name]["backend_us_per_req"] = statistics.median(backend) if backend else None
        medians[name]["rounds"] = len(mine)
        medians[name]["rps_min"] = min(run["rps"] for run in mine)
        medians[name]["rps_max"] = max(run["rps"] for run in mine)
        medians[name]["errors"] = sum(run["socket_errors"] + run["non_2xx"] for run in mine)
    reference = medians.get(REFERENCE)
    mode = env["mode"]
    base = re.sub(r"-(pipeline|routes)\d+", "", mode)
    title = {"engine": "Engine benchmark: static hello, one worker each",
             "proxy": "Proxy benchmark: reverse proxy to one shared nginx backend"
             }.get(base, mode)
    match = re.search(r"-routes(\d+)", mode)
    if match:
        title += f", {int(match.group(1)):,} route(s) per proxy"
    match = re.search(r"-pipeline(\d+)", mode)
    if match:
        title += f" (wrk pipelining {match.group(1)} requests per write)"
    lines = header_lines(env, title)
    lines += [
        "",
        f"Median over rounds. Ratios are against {REFERENCE}: req/s ratio above 1 is better, "
        "CPU and p99 ratios below 1 are better.",
        "",
        "| server | req/s | CPU µs/req | p50 ms | p99 ms | req/s vs nginx | CPU vs nginx "
        "| p99 vs nginx | req/s min–max | server CPU % | others % | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    warnings = []
    for name in names:
        m = medians[name]
        flag = ""
        if m["errors"]:
            flag = " ⚠"
            warnings.append(f"{name}: {m['errors']} socket errors or non-2xx responses over "
                            f"{m['rounds']} rounds")
        if m["other_percent"] > OTHERS_PERCENT:
            warnings.append(f"{name}: other processes took {m['other_percent']:.0f}% of the server's "
                            "core during its runs (median): its req/s and latency are disturbed")
        elif m["client_percent"] >= CPU_BOUND_PERCENT:
            warnings.append(f"{name}: wrk used {m['client_percent']:.0f}% of its core (server "
                            f"{m['cpu_percent']:.0f}%): req/s is at or near the client's ceiling, "
                            "so a faster server shows in CPU µs/req more than in req/s")
        elif m["cpu_percent"] < CPU_BOUND_PERCENT:
            warnings.append(f"{name}: server CPU only {m['cpu_percent']:.0f}% of one core and wrk "
                            f"{m['client_percent']:.0f}% of its own: req/s was limited elsewhere "
                            "(the backend, other load on wrk's core, or the server's own waiting)")
        lines.append(
            f"| {name} | {m['rps']:,.0f} | {m['cpu_us_per_req']:.2f} | {m['p50_ms']:.3f} "
            f"| {m['p99_ms']:.3f} "
            f"| {ratio(m['rps'], reference and reference['rps'])} "
            f"| {ratio(m['cpu_us_per_req'], reference and reference['cpu_us_per_req'])} "
            f"| {ratio(m['p99_ms'], reference and reference['p99_ms'])} "
            f"| {m['rps_min']:,.0f}–{m['rps_max']:,.0f} | {m['cpu_percent']:.0f} "
            f"| {m['other_percent']:.0f} | {m['errors']}{flag} |")
    if reference is None:
        warnings.append(f"{REFERENCE} was not measured: no ratios")
    backend_costs = [f"{name} {medians[name]['backend_us_per_req']:.2f}" for name in names
                     if medians[name]["backend_us_per_req"] is not None]
    if backend_costs:
        warnings.append("the shared backend's CPU µs per request, behind each proxy (equal when "
                        "every proxy reuses its upstream connections): " + ", ".join(backend_costs))
    skipped = env.get("skipped") or []
    for item in skipped:
        warnings.append(f"skipped {item}")
    if warnings:
        lines += ["", "Notes:", ""] + [f"- {warning}" for warning in warnings]
    lines += [
        "",
        "<details><summary>Every run (in the order run)</summary>",
        "",
        "| round | server | req/s | requests | CPU µs/req | server CPU % | others % | wrk CPU % "
        "| p50 ms | p99 ms | socket errors | non-2xx |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        lines.append(
            f"| {run['round']} | {run['server']} | {run['rps']:,.0f} | {run['requests']} "
            f"| {run['cpu_us_per_req']:.2f} | {run['cpu_percent']:.0f} "
            f"| {run['other_percent']:.0f} | {run.get('client_percent', float('nan')):.0f} "
            f"| {run['p50_ms']:.3f} "
            f"| {run['p99_ms']:.3f} | {run['socket_errors']} | {run['non_2xx']} |")
    lines += ["", "</details>"]
    write_out(lines, args.out)
    return 0


def callgrind_total(path):
    """Ir total of a callgrind output file: its `totals:` line, else its `summary:` line."""
    summary = None
    with open(path, errors="replace") as handle:
        for line in handle:
            if line.startswith("totals:"):
                return int(line.split()[1])
            if line.startswith("summary:"):
                summary = int(line.split()[1])
    if summary is None:
        raise ValueError(f"{path}: no totals: or summary: line")
    return summary


def strace_counts(path):
    """Calls per syscall from a `strace -c` summary file (its `total` line left out)."""
    counts = {}
    with open(path, errors="replace") as handle:
        for line in handle:
            fields = line.split()
            if len(fields) < 5 or fields[-1] == "total":
                continue
            try:
                float(fields[0])
                calls = int(fields[3])
            except ValueError:
                continue
            counts[fields[-1]] = counts.get(fields[-1], 0) + calls
    if not counts:
        raise ValueError(f"{path}: no strace -c summary lines")
    return counts


def command_callgrind_total(args):
    print(callgrind_total(args.file))
    return 0


def command_traced_record(args):
    record = {"server": args.server, "n": args.n, "tool": args.tool}
    if args.tool == "callgrind":
        record["ir"] = callgrind_total(args.file)
        print(f"   {args.server}: {args.n} requests → Ir {record['ir']:,}", file=sys.stderr)
    else:
        record["calls"] = strace_counts(args.file)
        print(f"   {args.server}: {args.n} requests → {sum(record['calls'].values()):,} syscalls",
              file=sys.stderr)
    print(json.dumps(record))
    return 0


def per_request(runs, value):
    """(n1, v1, n2, v2, (v2 − v1) / (n2 − n1)) from the shortest and the longest run, or None."""
    runs = sorted(runs, key=lambda run: run["n"])
    if len(runs) < 2 or runs[-1]["n"] == runs[0]["n"]:
        return None
    low, high = runs[0], runs[-1]
    return (low["n"], value(low), high["n"], value(high),
            (value(high) - value(low)) / (high["n"] - low["n"]))


def command_callgrind_summary(args):
    with open(args.env) as handle:
        env = json.load(handle)
    runs = load_lines(args.runs)
    names = ordered_servers({run["server"] for run in runs})
    rows = {}
    for name in names:
        mine = [run for run in runs if run["server"] == name]
        rows[name] = {
            "ir": per_request([run for run in mine if run["tool"] == "callgrind"],
                              lambda run: run["ir"]),
            "sys": per_request([run for run in mine if run["tool"] == "strace"],
                               lambda run: sum(run["calls"].values())),
            "strace_runs": sorted((run for run in mine if run["tool"] == "strace"),
                                  key=lambda run: run["n"]),
        }
    reference = rows.get(REFERENCE)
    ref_ir = reference and reference["ir"] and reference["ir"][4]
    ref_sys = reference and reference["sys"] and reference["sys"][4]
    title = {"callgrind": "Instructions per request (callgrind): static hello, one worker",
             "callgrind-proxy": "Instructions per request (callgrind): reverse proxy, one worker"
             }.get(env["mode"], env["mode"])
    lines = header_lines(env, title)
    lines += [
        "",
        "instructions/request = (Ir(N2) − Ir(N1)) / (N2 − N1): two server runs under "
        "`valgrind --tool=callgrind`, one keep-alive client connection each, so start-up, "
        "shutdown and connection set-up cancel out. User-space instructions only; the kernel's "
        "share shows in syscalls/request, counted the same way from two runs under "
        "`strace -f -c`. Lower is better.",
        "",
        "| server | N1 | Ir(N1) | N2 | Ir(N2) | instructions/request | vs nginx "
        "| syscalls/request | vs nginx |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in rows.items():
        ir, sys_calls = row["ir"], row["sys"]
        ir_cells = (f"{ir[0]} | {ir[1]:,} | {ir[2]} | {ir[3]:,} | {ir[4]:,.0f} | {ratio(ir[4], ref_ir)}"
                    if ir else "– | – | – | – | – | –")
        sys_cells = (f"{sys_calls[4]:.2f} | {ratio(sys_calls[4], ref_sys)}"
                     if sys_calls else "– | –")
        lines.append(f"| {name} | {ir_cells} | {sys_cells} |")
    breakdown = []
    for name, row in rows.items():
        straced = row["strace_runs"]
        if len(straced) < 2:
            continue
        low, high = straced[0], straced[-1]
        span = high["n"] - low["n"]
        calls = {key: (high["calls"].get(key, 0) - low["calls"].get(key, 0)) / span
                 for key in set(low["calls"]) | set(high["calls"])}
        shown = sorted(((value, key) for key, value in calls.items() if value >= 0.01),
                       reverse=True)
        breakdown.append(f"- {name}: " + ", ".join(f"{key} {value:.2f}" for value, key in shown))
    if breakdown:
        lines += ["", "Syscalls per request, by name:", ""] + breakdown
    skipped = env.get("skipped") or []
    if skipped:
        lines += ["", "Notes:", ""] + [f"- skipped {item}" for item in skipped]
    write_out(lines, args.out)
    return 0


IDLE_RSS_LIMIT_KIB = 64 * 1024  # issue #3: 10,000 idle keep-alive clients under 64 MiB RSS


def memory_pair(text):
    rss, pss = (int(value) for value in text.split())
    return {"rss": rss, "pss": pss if pss >= 0 else None}


def command_idle_record(args):
    without = parse_wrk(open(args.wrk_without).read())
    with_idle = parse_wrk(open(args.wrk_with).read())
    for run, cpu_ns in ((without, args.cpu_without_ns), (with_idle, args.cpu_with_ns)):
        run["cpu_us_per_req"] = cpu_ns / 1000.0 / run["requests"] if run["requests"] else None
    with open(args.client_log) as handle:
        client = handle.read().strip()
    match = re.search(r"closed (\d+) of them", client)
    with open(args.ready) as handle:
        ready = handle.read().strip()
    print(json.dumps({
        "server": args.server, "connections": args.connections, "ready": ready,
        "before": memory_pair(args.before), "with": memory_pair(args.with_idle),
        "with_wrk": memory_pair(args.with_wrk), "after": memory_pair(args.after),
        "without_wrk": without, "with_idle_wrk": with_idle,
        "closed_by_server": int(match.group(1)) if match else None,
    }))
    return 0


def mib(kib):
    return "n/a" if kib is None else f"{kib / 1024:.1f}"


def per_connection(run, key):
    before, with_idle = run["before"][key], run["with"][key]
    if before is None or with_idle is None:
        return "n/a"
    return f"{(with_idle - before) / run['connections']:.2f}"


def command_idle_summary(args):
    with open(args.env) as handle:
        env = json.load(handle)
    runs = {run["server"]: run for run in load_lines(args.runs)}
    names = ordered_servers(runs)
    title = {"idle": "Idle keep-alive connections: memory and latency, hello servers",
             "idle-proxy": "Idle keep-alive connections: memory and latency, proxies"
             }.get(re.sub(r"-routes\d+", "", env["mode"]), env["mode"])
    lines = header_lines(env, title)
    count = max((run["connections"] for run in runs.values()), default=0)
    lines += [
        "",
        f"Memory of each server's process tree (nginx: master + worker) from /proc: VmRSS summed, "
        f"and PSS (smaps_rollup; shared pages split among the processes sharing them). KiB/conn "
        f"= (with − before) ÷ {count:,}. \"max RSS\" is the highest RSS while the idle clients "
        f"were open (before and after the wrk run); issue #3 asks for under 64 MiB. p99 and "
        f"req/s: one wrk -c50 run without, one with the idle clients open.",
        "",
        "| server | RSS before MiB | RSS with idle MiB | KiB/conn (RSS) | PSS before MiB | "
        "PSS with idle MiB | KiB/conn (PSS) | max RSS MiB | < 64 MiB | RSS after close MiB | "
        "p99 ms without | p99 ms with idle | req/s without | req/s with idle | "
        "CPU µs/req without | CPU µs/req with idle | errors | idle closed by server |",
        "| --- | " + " | ".join(["---:"] * 17) + " |",
    ]
    notes = []
    for name in names:
        run = runs[name]
        peak = max(run["with"]["rss"], run["with_wrk"]["rss"])
        under = "yes" if peak < IDLE_RSS_LIMIT_KIB else "**no** ⚠"
        without, with_idle = run["without_wrk"], run["with_idle_wrk"]
        errors = sum(w["socket_errors"] + w["non_2xx"] for w in (without, with_idle))
        closed = run["closed_by_server"]
        cpu = [f"{w['cpu_us_per_req']:.2f}" if w.get("cpu_us_per_req") else "n/a"
               for w in (without, with_idle)]
        lines.append(
            f"| {name} | {mib(run['before']['rss'])} | {mib(run['with']['rss'])} | "
            f"{per_connection(run, 'rss')} | {mib(run['before']['pss'])} | "
            f"{mib(run['with']['pss'])} | {per_connection(run, 'pss')} | {mib(peak)} | {under} | "
            f"{mib(run['after']['rss'])} | {without['p99_ms']:.3f} | {with_idle['p99_ms']:.3f} | "
            f"{without['rps']:,.0f} | {with_idle['rps']:,.0f} | {cpu[0]} | {cpu[1]} | "
            f"{errors}{' ⚠' if errors else ''} | {closed if closed is not None else 'n/a'}"
            f"{' ⚠' if closed else ''} |")
        notes.append(f"{name}: {run['ready']}")
        if errors:
            notes.append(f"{name}: {errors} wrk errors (socket errors + non-2xx/3xx)")
        if closed:
            notes.append(f"{name}: closed {closed} idle connections while they were held")
    notes += [f"skipped {item}" for item in env.get("skipped") or []]
    lines += ["", "Notes:", ""] + [f"- {note}" for note in notes]
    write_out(lines, args.out)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    env = sub.add_parser("env")
    for name in ("--repo", "--cmdline", "--mode", "--pinning", "--params"):
        env.add_argument(name, required=True)
    env.add_argument("--skipped", default="", help="reasons, separated by ';'")
    env.add_argument("--load-start", default="", help="/proc/loadavg when the run started")
    record = sub.add_parser("record")
    record.add_argument("--server", required=True)
    record.add_argument("--round", type=int, required=True)
    record.add_argument("--wrk", required=True)
    record.add_argument("--cpu-ns", type=int, required=True)
    record.add_argument("--core-ns", type=int, required=True)
    record.add_argument("--span-ns", type=int, required=True)
    record.add_argument("--client-ns", type=int, required=True)
    record.add_argument("--backend-ns", type=int, default=0)
    record.add_argument("--wall-ns", type=int, required=True)
    for name in ("summary", "callgrind-summary"):
        summary = sub.add_parser(name)
        summary.add_argument("--runs", required=True)
        summary.add_argument("--env", required=True)
        summary.add_argument("--out", required=True)
    total = sub.add_parser("callgrind-total")
    total.add_argument("file")
    traced = sub.add_parser("traced-record")
    traced.add_argument("--server", required=True)
    traced.add_argument("--n", type=int, required=True)
    traced.add_argument("--tool", choices=("callgrind", "strace"), required=True)
    traced.add_argument("--file", required=True)
    idle = sub.add_parser("idle-record")
    idle.add_argument("--server", required=True)
    idle.add_argument("--connections", type=int, required=True)
    idle.add_argument("--ready", required=True)
    idle.add_argument("--before", required=True)
    idle.add_argument("--with", dest="with_idle", required=True)
    idle.add_argument("--with-wrk", required=True)
    idle.add_argument("--after", required=True)
    idle.add_argument("--wrk-without", required=True)
    idle.add_argument("--wrk-with", required=True)
    idle.add_argument("--cpu-without-ns", type=int, required=True)
    idle.add_argument("--cpu-with-ns", type=int, required=True)
    idle.add_argument("--wall-without-ns", type=int, default=0)
    idle.add_argument("--wall-with-ns", type=int, default=0)
    idle.add_argument("--client-log", required=True)
    idle_summary = sub.add_parser("idle-summary")
    idle_summary.add_argument("--runs", required=True)
    idle_summary.add_argument("--env", required=True)
    idle_summary.add_argument("--out", required=True)
    args = parser.parse_args()
    handlers = {"idle-record": command_idle_record, "idle-summary": command_idle_summary,"env": command_env, "record": command_record, "summary": command_summary,
                "callgrind-total": command_callgrind_total,
                "traced-record": command_traced_record,
                "callgrind-summary": command_callgrind_summary}
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
