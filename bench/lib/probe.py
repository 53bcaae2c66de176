#!/usr/bin/env python3
"""Small probes run.sh needs around the servers it measures. Stdlib only.

  probe.py freeport                          print a free TCP port on 127.0.0.1
  probe.py wait-listen --port P --pid PID    wait until PID's tree listens on 127.0.0.1:P
  probe.py wait-line --file F --key K --pid PID
                                             wait for a `listening K=127.0.0.1:PORT` line in F,
                                             print PORT
  probe.py check --port P --name N           two GETs on one keep-alive connection, each must be
                                             200 with body `hello world` (newline optional)
  probe.py cputime --pid PID [--core C] [--also PID2]
                                             on-CPU nanoseconds of PID and all its descendants
                                             (every thread), from /proc/*/task/*/schedstat;
                                             with --core, also core C's busy and total
                                             nanoseconds from /proc/stat; with --also,
                                             last the on-CPU nanoseconds of PID2's tree
  probe.py wait-idle --cores 0,1 --percent P --timeout S
                                             wait until every listed core was under P% busy over
                                             half a second (at most S seconds); print the wait
  probe.py children --pid PID                the direct children of PID, one a line
  probe.py load --port P --requests N        N keep-alive GETs on one connection (callgrind load)
  probe.py memory --pid PID                  RSS and PSS (KiB) summed over PID and its descendants:
                                             VmRSS of /proc/P/status, Pss of /proc/P/smaps_rollup
                                             (-1 when no process has smaps_rollup)
  probe.py idle --port P --connections C --ready FILE
                                             open C keep-alive connections, one GET each (every
                                             answer must be 200), write `ready ...` to FILE, hold
                                             them idle until SIGTERM, then print how many the
                                             server closed meanwhile
check, load and idle take --path PATH (default /).

Exit codes of the wait commands: 0 ready, 3 the process exited first, 4 timed out.
Waiting never opens a connection to the server (it reads /proc/net/tcp), so callgrind counts
no probe traffic.
"""

import argparse
import os
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hello_client import KeepAliveClient, ResponseError  # noqa: E402

EXPECTED_BODY = b"hello world"
POLL_SECONDS = 0.02


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def alive(pid):
    """True while PID exists and is not a zombie (a zombie has exited; its parent is run.sh)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")


def listening_ports():
    """Ports in LISTEN state on 127.0.0.1 or 0.0.0.0 (IPv4) in this network namespace."""
    ports = set()
    with open("/proc/net/tcp") as handle:
        next(handle)
        for line in handle:
            fields = line.split()
            local, state = fields[1], fields[3]
            if state != "0A":
                continue
            address, port = local.split(":")
            if address in ("0100007F", "00000000"):
                ports.add(int(port, 16))
    return ports


def wait_until(predicate, pid, timeout):
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return 0, result
        if not alive(pid):
            return 3, None
        if time.monotonic() > deadline:
            return 4, None
        time.sleep(POLL_SECONDS)


def command_wait_listen(args):
    code, _ = wait_until(lambda: args.port in listening_ports(), args.pid, args.timeout)
    return code


def command_wait_line(args):
    pattern = re.compile(r"listening\b.*\b" + re.escape(args.key) + r"=([0-9.]+):(\d+)")

    def find():
        try:
            with open(args.file, errors="replace") as handle:
                match = pattern.search(handle.read())
        except FileNotFoundError:
            return None
        return match.group(2) if match else None

    code, port = wait_until(find, args.pid, args.timeout)
    if code == 0:
        print(port)
    return code


def command_check(args):
    try:
        client = KeepAliveClient(args.port, timeout=args.timeout, path=args.path)
        try:
            for attempt in (1, 2):
                response = client.get()
                if response.status != 200:
                    raise ResponseError(f"request {attempt}: status {response.status}, expected 200")
                if response.body.rstrip(b"\n") != EXPECTED_BODY:
                    raise ResponseError(f"request {attempt}: body {response.body!r}, "
                                        f"expected {EXPECTED_BODY!r}")
        finally:
            client.close()
    except (OSError, ResponseError) as error:
        print(f"FAIL {args.name} on 127.0.0.1:{args.port}: {error}", file=sys.stderr)
        return 1
    server = response.header("server") or "-"
    print(f"ok   {args.name} on 127.0.0.1:{args.port}: 200, body {len(response.body)} bytes "
          f"{response.body!r}, keep-alive ok, {len(response.headers)} headers (server: {server})")
    return 0


def children_map():
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    return children


def process_tree(root):
    children = children_map()
    pids, stack = [], [root]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        stack.extend(children.get(pid, []))
    return pids


def task_cpu_ns(pid, task):
    try:
        with open(f"/proc/{pid}/task/{task}/schedstat") as handle:
            return int(handle.read().split()[0])
    except FileNotFoundError:
        pass
    # Kernels without schedstat: utime + stime in clock ticks (fields 14 and 15 of stat).
    with open(f"/proc/{pid}/task/{task}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return ticks * 1_000_000_000 // os.sysconf("SC_CLK_TCK")


def cpu_ns(root):
    total = 0
    for pid in process_tree(root):
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except FileNotFoundError:
            continue
        for task in tasks:
            try:
                total += task_cpu_ns(pid, task)
            except (FileNotFoundError, ProcessLookupError):
                continue  # the thread exited between listing and reading
    return total


def core_times_ns(core):
    """(busy, total) time of one core from /proc/stat: busy is user, nice, system, irq, softirq
    and steal; total adds idle and iowait (USER_HZ ticks, converted)."""
    with open("/proc/stat") as handle:
        for line in handle:
            if line.startswith(f"cpu{core} "):
                fields = [int(value) for value in line.split()[1:]]
                busy = fields[0] + fields[1] + fields[2] + sum(fields[5:8])
                total = busy + fields[3] + fields[4]
                tick = 1_000_000_000 // os.sysconf("SC_CLK_TCK")
                return busy * tick, total * tick
    raise ValueError(f"no cpu{core} line in /proc/stat")


def core_busy_ns(core):
    return core_times_ns(core)[0]


def command_wait_idle(args):
    cores = [int(core) for core in args.cores.split(",")]
    window = 0.5
    start = time.monotonic()
    while True:
        before = [core_busy_ns(core) for core in cores]
        time.sleep(window)
        after = [core_busy_ns(core) for core in cores]
        busiest = max(100.0 * (b - a) / (window * 1e9) for a, b in zip(before, after))
        waited = time.monotonic() - start
        if busiest < args.percent or waited >= args.timeout:
            print(f"{waited:.1f}s waited, busiest core {busiest:.0f}%")
            return 0


def command_load(args):
    client = KeepAliveClient(args.port, timeout=args.timeout, path=args.path)
    try:
        for index in range(args.requests):
            response = client.get()
            if response.status != 200 or response.body.rstrip(b"\n") != EXPECTED_BODY:
                print(f"FAIL request {index + 1}: status {response.status} body {response.body!r}",
                      file=sys.stderr)
                return 1
    except (OSError, ResponseError) as error:
        print(f"FAIL after {index} requests: {error}", file=sys.stderr)
        return 1
    finally:
        client.close()
    return 0


def process_memory_kib(pid):
    """(VmRSS, Pss) of one process in KiB; Pss is None without smaps_rollup (kernel < 4.14)."""
    rss = 0
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return rss, int(line.split()[1])
    except (FileNotFoundError, PermissionError):
        pass
    return rss, None


def command_memory(args):
    rss_total, pss_total, have_pss = 0, 0, False
    for pid in process_tree(args.pid):
        try:
            rss, pss = process_memory_kib(pid)
        except (FileNotFoundError, ProcessLookupError):
            continue
        rss_total += rss
        if pss is not None:
            pss_total += pss
            have_pss = True
    print(rss_total, pss_total if have_pss else -1)
    return 0


def command_idle(args):
    """C connections, each: connect, one GET, read the whole answer; then all stay open, idle.

    Non-blocking sockets on one selector; at most --concurrency connections are connecting or
    waiting for their answer at a time (so the listen backlog never overflows). Fails (status 1)
    if any answer is not 200 or any connection fails before the set is complete."""
    import selectors
    import signal

    request = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUser-Agent: sluice-bench-idle\r\n\r\n"
               % (args.path, args.port)).encode("ascii")
    selector = selectors.DefaultSelector()
    done, pending, buffers = [], 0, {}
    started = time.monotonic()
    deadline = started + args.timeout

    def open_one():
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.connect_ex(("127.0.0.1", args.port))
        buffers[sock] = bytearray()
        selector.register(sock, selectors.EVENT_WRITE, "connecting")

    def complete(buffer):
        end = buffer.find(b"\r\n\r\n")
        if end < 0:
            return None
        head = bytes(buffer[:end]).decode("latin-1")
        status_line, _, rest = head.partition("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[1].isdigit():
            raise ResponseError(f"bad status line {status_line!r}")
        length = None
        for line in rest.split("\r\n"):
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        if length is None:
            raise ResponseError(f"answer without Content-Length: {head!r}")
        if len(buffer) < end + 4 + length:
            return None
        return int(parts[1])

    opened = 0
    try:
        while len(done) < args.connections:
            while pending < args.concurrency and opened < args.connections:
                open_one()
                opened += 1
                pending += 1
            if time.monotonic() > deadline:
                raise ResponseError(f"timed out after {args.timeout}s with {len(done)} "
                                    f"connections ready")
            for key, _ in selector.select(timeout=1.0):
                sock = key.fileobj
                if key.data == "connecting":
                    error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    if error:
                        raise ResponseError(f"connect failed: {os.strerror(error)}")
                    sock.send(request)  # a few dozen bytes: always fits an empty send buffer
                    selector.modify(sock, selectors.EVENT_READ, "reading")
                    continue
                chunk = sock.recv(65536)
                if not chunk:
                    raise ResponseError(f"connection closed before its answer "
                                        f"({len(buffers[sock])} bytes)")
                buffers[sock] += chunk
                status = complete(buffers[sock])
                if status is None:
                    continue
                if status != 200:
                    raise ResponseError(f"status {status}, expected 200")
                selector.unregister(sock)
                del buffers[sock]
                done.append(sock)
                pending -= 1
    except (OSError, ResponseError) as error:
        print(f"FAIL idle client after {len(done)} connections: {error}", file=sys.stderr)
        return 1

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    with open(args.ready + ".tmp", "w") as handle:
        handle.write(f"ready {len(done)} connections in {time.monotonic() - started:.1f}s\n")
    os.rename(args.ready + ".tmp", args.ready)
    while not stop:
        signal.pause()
    closed = 0
    for sock in done:
        try:
            sock.setblocking(False)
            if sock.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    print(f"held {len(done)} idle connections; the server closed {closed} of them meanwhile")
    for sock in done:
        sock.close()
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("freeport")
    wait_listen = sub.add_parser("wait-listen")
    wait_listen.add_argument("--port", type=int, required=True)
    wait_listen.add_argument("--pid", type=int, required=True)
    wait_listen.add_argument("--timeout", type=float, default=30.0)
    wait_line = sub.add_parser("wait-line")
    wait_line.add_argument("--file", required=True)
    wait_line.add_argument("--key", required=True)
    wait_line.add_argument("--pid", type=int, required=True)
    wait_line.add_argument("--timeout", type=float, default=30.0)
    check = sub.add_parser("check")
    check.add_argument("--port", type=int, required=True)
    check.add_argument("--name", default="server")
    check.add_argument("--timeout", type=float, default=30.0)
    cputime = sub.add_parser("cputime")
    cputime.add_argument("--pid", type=int, required=True)
    cputime.add_argument("--core", type=int)
    cputime.add_argument("--also", type=int)
    wait_idle = sub.add_parser("wait-idle")
    wait_idle.add_argument("--cores", required=True)
    wait_idle.add_argument("--percent", type=float, default=10.0)
    wait_idle.add_argument("--timeout", type=float, default=30.0)
    children = sub.add_parser("children")
    children.add_argument("--pid", type=int, required=True)
    load = sub.add_parser("load")
    load.add_argument("--port", type=int, required=True)
    load.add_argument("--requests", type=int, required=True)
    load.add_argument("--timeout", type=float, default=120.0)
    for sub_parser in (check, load):
        sub_parser.add_argument("--path", default="/")
    memory = sub.add_parser("memory")
    memory.add_argument("--pid", type=int, required=True)
    idle = sub.add_parser("idle")
    idle.add_argument("--port", type=int, required=True)
    idle.add_argument("--connections", type=int, required=True)
    idle.add_argument("--ready", required=True)
    idle.add_argument("--path", default="/")
    idle.add_argument("--concurrency", type=int, default=200)
    idle.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()

    if args.command == "freeport":
        print(free_port())
        return 0
    if args.command == "wait-listen":
        return command_wait_listen(args)
    if args.command == "wait-line":
        return command_wait_line(args)
    if args.command == "check":
        return command_check(args)
    if args.command == "cputime":
        values = [cpu_ns(args.pid)]
        if args.core is not None:
            values.extend(core_times_ns(args.core))
        if args.also is not None:
            values.append(cpu_ns(args.also))
        print(*values)
        return 0
    if args.command == "wait-idle":
        return command_wait_idle(args)
    if args.command == "children":
        for child in children_map().get(args.pid, []):
            print(child)
        return 0
    if args.command == "load":
        return command_load(args)
    if args.command == "memory":
        return command_memory(args)
    if args.command == "idle":
        return command_idle(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
