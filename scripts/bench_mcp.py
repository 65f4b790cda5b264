#!/usr/bin/env python3
"""make bench, MCP part: oauth-relay side by side with mcp-proxy and fastmcp's proxy, each a stdio
MCP server in front of the same Streamable HTTP backend on 127.0.0.1: first FastMCP from the
official MCP Python SDK (SSE answers), then the dev server's native /mcp endpoint (SSE answers),
which is fast enough that the proxies' own cost shows. Prints medians and the ratios of the
others to oauth-relay.

- start: process start to the initialize answer (includes the upstream initialize)
- added latency: tools/call echo through the proxy minus the same call made directly over HTTP
- calls/s with 64 in flight
- RSS after the throughput run (VmRSS), its private part (RssAnon: heap and stacks, not the
  shared libraries mapped from disk), and PSS (shared pages divided among the processes that map
  them: each process's fair share of the machine's memory)
"""
import argparse
import http.client
import json
import os
import pathlib
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
SERVER = ROOT / "tests" / "interop" / "servers" / "fastmcp_server.py"
INIT = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}
ECHO = {"name": "echo", "arguments": {"message": "bench"}}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Proxy:
    """A stdio MCP server process, spoken to with newline-delimited JSON-RPC."""

    def __init__(self, command, environment):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=environment)
        self.next_id = 0

    def send(self, method, params=None, notify=False):
        message = {"jsonrpc": "2.0", "method": method}
        if not notify:
            self.next_id += 1
            message["id"] = self.next_id
        if params is not None:
            message["params"] = params
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        return self.next_id

    def read_response(self):
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise SystemExit(f"{self.process.args[0]} exited")
            message = json.loads(line)
            if "id" in message and "method" not in message:
                return message

    def call(self, method, params=None):
        self.send(method, params)
        self.process.stdin.flush()
        return self.read_response()

    def initialize(self):
        answer = self.call("initialize", INIT)
        self.send("notifications/initialized", notify=True)
        self.process.stdin.flush()
        return answer

    def rss_kib(self, field):
        for line in pathlib.Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        return 0

    def pss_kib(self):
        """Proportional set size: shared pages divided among the processes that map them."""
        for line in pathlib.Path(f"/proc/{self.process.pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
        return 0

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def direct_latency(port, count):
    """The same tools/call straight to the backend over one keep-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}

    def post(message, session=None):
        extra = {"Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-06-18"} if session else {}
        connection.request("POST", "/mcp", json.dumps(message), {**headers, **extra})
        response = connection.getresponse()
        response.read()
        return response

    session = post({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": INIT}).getheader("mcp-session-id")
    post({"jsonrpc": "2.0", "method": "notifications/initialized"}, session)
    samples = []
    for number in range(count):
        began = time.perf_counter()
        post({"jsonrpc": "2.0", "id": number + 2, "method": "tools/call", "params": ECHO}, session)
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def measure(command, environment, starts, calls, total):
    start_samples = []
    for _ in range(starts):
        began = time.perf_counter()
        proxy = Proxy(command, environment)
        proxy.initialize()
        start_samples.append(time.perf_counter() - began)
        proxy.close()

    proxy = Proxy(command, environment)
    proxy.initialize()
    for _ in range(20):
        proxy.call("tools/call", ECHO)
    latency = []
    for _ in range(calls):
        began = time.perf_counter()
        answer = proxy.call("tools/call", ECHO)
        latency.append(time.perf_counter() - began)
    assert "result" in answer, answer

    in_flight, sent, done = 64, 0, 0
    began = time.perf_counter()
    while sent < min(in_flight, total):
        proxy.send("tools/call", ECHO)
        sent += 1
    proxy.process.stdin.flush()
    while done < total:
        proxy.read_response()
        done += 1
        if sent < total:
            proxy.send("tools/call", ECHO)
            proxy.process.stdin.flush()
            sent += 1
    throughput = total / (time.perf_counter() - began)
    rss, private = proxy.rss_kib("VmRSS"), proxy.rss_kib("RssAnon")
    shared_fairly = proxy.pss_kib()
    proxy.close()
    return {"start": statistics.median(start_samples), "latency": statistics.median(latency),
            "throughput": throughput, "rss": rss, "private": private, "pss": shared_fairly}


def start_backend(command, port):
    backend = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 15
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return backend
        except OSError:
            if backend.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the backend {command[0]} did not start")
            time.sleep(0.05)


def run_all(name, command, port, arguments):
    """Every contender in front of one backend; prints its table."""
    url = f"http://127.0.0.1:{port}/mcp"
    backend = start_backend(command, port)
    workdir = tempfile.TemporaryDirectory(prefix="oauth-relay-bench-mcp-")
    try:
        base = {"PATH": os.environ["PATH"], "HOME": workdir.name}
        relay_env = {**base, "RELAY_BACKEND_URL": url, "RELAY_TOKEN_STORE": "plaintext",
                     "RELAY_TOKEN_PATH": os.path.join(workdir.name, "tokens.json"), "RELAY_LOG_LEVEL": "error"}
        venv = pathlib.Path(arguments.bench_venv) / "bin"
        contenders = [("oauth-relay", [arguments.relay], relay_env)]
        if (venv / "mcp-proxy").exists():
            contenders.append(("mcp-proxy", [str(venv / "mcp-proxy"), "--transport", "streamablehttp", url], base))
        else:
            print("mcp-proxy is not installed in", venv, "- skipped")
        if (venv / "fastmcp").exists():
            script = f"from fastmcp import FastMCP; FastMCP.as_proxy({url!r}).run(show_banner=False)"
            contenders.append(("fastmcp proxy", [str(venv / "python"), "-c", script], base))
        else:
            print("fastmcp is not installed in", venv, "- skipped")

        results = {}
        directs = []
        for contender, proxy_command, environment in contenders:
            # The backend's own latency drifts as it runs; each proxy is compared with a direct
            # measurement taken just before it.
            direct = direct_latency(port, arguments.calls)
            directs.append(direct)
            results[contender] = measure(proxy_command, environment, arguments.starts, arguments.calls,
                                         arguments.total)
            results[contender]["added"] = results[contender]["latency"] - direct
        direct = statistics.median(directs)
    finally:
        backend.terminate()
        backend.wait()
        workdir.cleanup()

    ours = results["oauth-relay"]
    print(f"\nMCP proxies in front of {name} (medians; direct call {direct * 1000:.2f} ms)")
    print("|                | start ms | added ms/call | calls/s (64 in flight) | RSS MiB (private) | PSS MiB |")
    print("|---|---|---|---|---|---|")
    def added(row):
        # Below 0.05 ms the difference is lost in the backend's own jitter.
        return f"{row['added'] * 1000:13.2f}" if row["added"] >= 0.00005 else f"{'< 0.05':>13}"

    for contender, row in results.items():
        print(f"| {contender:14} | {row['start'] * 1000:8.1f} | {added(row)} "
              f"| {row['throughput']:22.0f} | {row['rss'] / 1024:.1f} ({row['private'] / 1024:.1f}) "
              f"| {row['pss'] / 1024:.1f} |")
    for contender, row in results.items():
        if contender == "oauth-relay":
            continue
        latency_ratio = (f"{row['added'] / ours['added']:.1f}x" if ours["added"] >= 0.00005
                         else "not measurable (ours is within the backend's jitter)")
        print(f"{contender} / oauth-relay: start {row['start'] / ours['start']:.1f}x slower, "
              f"added latency {latency_ratio}, "
              f"calls/s {ours['throughput'] / row['throughput']:.1f}x fewer, RSS {row['rss'] / ours['rss']:.1f}x more "
              f"(private {row['private'] / ours['private']:.1f}x, PSS {row['pss'] / ours['pss']:.1f}x)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--relay", required=True)
    parser.add_argument("--dev-server", help="oauth-relay-dev-server, for the native backend")
    parser.add_argument("--bench-venv", default=str(ROOT / ".venv-bench"))
    parser.add_argument("--starts", type=int, default=10)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--total", type=int, default=2000)
    arguments = parser.parse_args()

    port = free_port()
    run_all("one FastMCP Streamable HTTP backend (official MCP Python SDK, SSE answers)",
            [sys.executable, str(SERVER), "--port", str(port)], port, arguments)
    if arguments.dev_server:
        # A backend fast enough that what is measured is the proxy, not the server behind it.
        port = free_port()
        run_all("oauth-relay-dev-server's native /mcp endpoint (SSE answers)",
                [arguments.dev_server, "--port", str(port), "--quiet", "--mcp-responses", "sse"], port, arguments)


if __name__ == "__main__":
    main()
