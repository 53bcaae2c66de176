"""Tests of the parsers in report.py and hello_client.py: python3 -m unittest discover bench/lib"""

import os
import socket
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
from hello_client import KeepAliveClient, ResponseError  # noqa: E402

WRK_OK = """Running 3s test @ http://127.0.0.1:40601/
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.00us  300.10us   9.12ms   90.00%
    Req/Sec   102.67k     3.01k  110.00k    70.00%
  Latency Distribution
     50%  292.00us
     75%  400.00us
     90%    1.10ms
     99%    2.50s
  205540 requests in 2.00s, 30.00MB read
Requests/sec: 102669.12
Transfer/sec:     15.00MB
"""

WRK_ERRORS = WRK_OK.replace(
    "Requests/sec:",
    "  Socket errors: connect 1, read 2, write 3, timeout 4\n"
    "  Non-2xx or 3xx responses: 7\nRequests/sec:")

STRACE = """% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 40.00    0.004000           2      2002           writev
 30.00    0.003000           1      2003         1 recvfrom
 30.00    0.003000           1      2010           epoll_wait
------ ----------- ----------- --------- --------- ----------------
100.00    0.010000           1      6015         1 total
"""


class ParseWrkTests(unittest.TestCase):
    def test_units_and_counts(self):
        parsed = report.parse_wrk(WRK_OK)
        self.assertAlmostEqual(parsed["p50_ms"], 0.292)
        self.assertAlmostEqual(parsed["p90_ms"], 1.10)
        self.assertAlmostEqual(parsed["p99_ms"], 2500.0)
        self.assertEqual(parsed["requests"], 205540)
        self.assertAlmostEqual(parsed["runtime_s"], 2.0)
        self.assertAlmostEqual(parsed["rps"], 102669.12)
        self.assertEqual(parsed["socket_errors"], 0)
        self.assertEqual(parsed["non_2xx"], 0)

    def test_errors_are_counted(self):
        parsed = report.parse_wrk(WRK_ERRORS)
        self.assertEqual(parsed["socket_errors"], 10)
        self.assertEqual(parsed["non_2xx"], 7)

    def test_missing_latency_is_an_error(self):
        with self.assertRaises(ValueError):
            report.parse_wrk(WRK_OK.replace("     99%    2.50s\n", ""))


class TracedOutputTests(unittest.TestCase):
    def write(self, text):
        handle = tempfile.NamedTemporaryFile("w", delete=False, suffix=".txt")
        handle.write(text)
        handle.close()
        self.addCleanup(os.unlink, handle.name)
        return handle.name

    def test_strace_counts_skip_total(self):
        counts = report.strace_counts(self.write(STRACE))
        self.assertEqual(counts, {"writev": 2002, "recvfrom": 2003, "epoll_wait": 2010})

    def test_callgrind_totals_line_wins(self):
        path = self.write("events: Ir\nsummary: 99\nfl=x\n0 5\ntotals: 12345\n")
        self.assertEqual(report.callgrind_total(path), 12345)

    def test_callgrind_without_total_is_an_error(self):
        with self.assertRaises(ValueError):
            report.callgrind_total(self.write("events: Ir\n"))

    def test_per_request_difference(self):
        runs = [{"n": 12000, "ir": 112000}, {"n": 2000, "ir": 22000}]
        self.assertEqual(report.per_request(runs, lambda run: run["ir"]),
                         (2000, 22000, 12000, 112000, 9.0))


class HelloClientTests(unittest.TestCase):
    def serve(self, payload):
        """A one-shot server answering the first request with payload; returns its port."""
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        self.addCleanup(listener.close)

        def answer():
            connection, _ = listener.accept()
            with connection:
                data = b""
                while b"\r\n\r\n" not in data:
                    data += connection.recv(4096)
                connection.sendall(payload)

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        self.addCleanup(thread.join, 5)
        return listener.getsockname()[1]

    def test_reads_one_response_by_content_length(self):
        port = self.serve(b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\nServer: t\r\n\r\nhello world\n")
        client = KeepAliveClient(port, timeout=5)
        self.addCleanup(client.close)
        response = client.get()
        self.assertEqual(response.status, 200)
        self.assertEqual(response.body, b"hello world\n")
        self.assertEqual(response.header("server"), "t")

    def test_chunked_response_is_refused(self):
        port = self.serve(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        client = KeepAliveClient(port, timeout=5)
        self.addCleanup(client.close)
        with self.assertRaises(ResponseError):
            client.get()


if __name__ == "__main__":
    unittest.main()
