#!/usr/bin/env python3
"""make bench: medians of the relay's costs on this machine.

- start: process start to the initialize answer
- added latency: tools/call echo through the relay minus a direct HTTP call to the same backend
- throughput: calls per second with 1 and with 64 calls in flight
- memory: peak RSS after 10,000 calls, and RSS after 1,000 vs 10,000 calls (flatness)
"""
import argparse
import http.client
import json
import os
import pathlib
import statistics
import subprocess
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent


def start_dev_server(binary, workdir):
    port_file = workdir / "port"
    server = subprocess.Popen([binary, "--port", "0", "--port-file", str(port_file)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not (port_file.exists() and port_file.read_text().strip()):
        time.sleep(0.01)
    return server, int(port_file.read_text().strip())


class Relay:
    def __init__(self, binary, environment):
        self.process = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=environment)
        self.next_id = 0

    def send(self, method, params=None):
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        return self.next_id

    def flush(self):
        self.process.stdin.flush()

    def read(self):
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("relay exited")
        return json.loads(line)

    def call(self, method, params=None):
        self.send(method, params)
        self.flush()
        return self.read()

    def rss_kib(self, field):
        for line in pathlib.Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        return 0

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=5)


INIT = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}
ECHO = {"name": "echo", "arguments": {"message": "bench"}}


def bench_start(binary, environment):
    samples = []
    for _ in range(30):
        began = time.perf_counter()
        relay = Relay(binary, environment)
        relay.call("initialize", INIT)
        samples.append(time.perf_counter() - began)
        relay.close()
    return statistics.median(samples)


def bench_latency(binary, environment, port, count=2000):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    body = json.dumps({"arguments": {"message": "bench"}})
    direct = []
    for _ in range(count):
        began = time.perf_counter()
        connection.request("POST", "/mcp/tools/echo", body, {"Content-Type": "application/json"})
        connection.getresponse().read()
        direct.append(time.perf_counter() - began)
    relay = Relay(binary, environment)
    relay.call("initialize", INIT)
    through = []
    for _ in range(count):
        began = time.perf_counter()
        relay.call("tools/call", ECHO)
        through.append(time.perf_counter() - began)
    relay.close()
    return statistics.median(direct), statistics.median(through)


def bench_throughput(binary, environment, in_flight, total=4000):
    relay = Relay(binary, environment)
    relay.call("initialize", INIT)
    began = time.perf_counter()
    sent = received = 0
    while received < total:
        while sent < total and sent - received < in_flight:
            relay.send("tools/call", ECHO)
            sent += 1
        relay.flush()
        relay.read()
        received += 1
    elapsed = time.perf_counter() - began
    relay.close()
    return total / elapsed


def bench_memory(binary, environment):
    relay = Relay(binary, environment)
    relay.call("initialize", INIT)
    after_1k = 0
    for index in range(10_000):
        relay.send("tools/call", ECHO)
        if index % 32 == 31:
            relay.flush()
            for _ in range(32):
                relay.read()
        if index == 999:
            after_1k = relay.rss_kib("VmRSS")
    after_10k = relay.rss_kib("VmRSS")
    peak = relay.rss_kib("VmHWM")
    private = relay.rss_kib("RssAnon")
    relay.close()
    return peak, after_1k, after_10k, private


def bench_stores(stress_binary, workdir):
    """Median save/load latency per token store backend (8 KiB token)."""
    key_file = workdir / "store.key"
    key_file.write_bytes(os.urandom(32))
    key_file.chmod(0o600)
    passphrase_file = workdir / "store.pass"
    passphrase_file.write_text("bench passphrase\n")
    passphrase_file.chmod(0o600)
    base = {"PATH": os.environ["PATH"], "HOME": str(workdir)}
    cases = [
        ("plaintext", {"RELAY_TOKEN_STORE": "plaintext", "RELAY_TOKEN_PATH": str(workdir / "p.json")}),
        ("encrypted-file (passphrase)", {"RELAY_TOKEN_STORE": "encrypted-file",
                                         "RELAY_TOKEN_PATH": str(workdir / "e1.enc"),
                                         "RELAY_TOKEN_PASSPHRASE_FILE": str(passphrase_file)}),
        ("encrypted-file (key file)", {"RELAY_TOKEN_STORE": "encrypted-file",
                                       "RELAY_TOKEN_PATH": str(workdir / "e2.enc"),
                                       "RELAY_TOKEN_KEY_FILE": str(key_file)}),
    ]
    rows = []
    for name, environment in cases:
        rows.append((name, run_store_bench(stress_binary, dict(base, **environment), [])))
    keyring = HERE / "with-keyring.sh"
    rows.append(("secret-service (gnome-keyring)", run_store_bench(
        stress_binary, dict(base, RELAY_TOKEN_STORE="secret-service", RELAY_SECRET_COLLECTION="session"),
        [str(keyring)])))
    return rows


def run_store_bench(stress_binary, environment, prefix):
    output = subprocess.run(prefix + [stress_binary, "bench", "200"], env=environment, capture_output=True,
                            text=True, timeout=300)
    if output.returncode != 0:
        return f"failed: {output.stderr.strip()[:200]}"
    fields = dict(part.split("=") for part in output.stdout.split()[1:])
    return (f"first load {float(fields['first_load_ms']):7.2f} ms   save {float(fields['save_ms']):6.3f} ms"
            f"   load {float(fields['load_ms']):6.3f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--relay", required=True)
    parser.add_argument("--dev-server", required=True)
    parser.add_argument("--store-bench", required=True)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="oauth-relay-bench-") as directory:
        workdir = pathlib.Path(directory)
        server, port = start_dev_server(options.dev_server, workdir)
        base = f"http://127.0.0.1:{port}"
        environment = {"PATH": os.environ["PATH"], "HOME": directory, "RELAY_BACKEND_URL": base,
                       "RELAY_AUTH_SERVER_URL": base, "RELAY_CLIENT_ID": "oauth-relay",
                       "RELAY_TOKEN_STORE": "plaintext", "RELAY_TOKEN_PATH": str(workdir / "tokens.json"),
                       "RELAY_BROWSER": "none", "RELAY_LOG_LEVEL": "error"}
        try:
            start = statistics.median(bench_start(options.relay, environment) for _ in range(3))
            latencies = [bench_latency(options.relay, environment, port) for _ in range(3)]
            direct = statistics.median(d for d, _ in latencies)
            through = statistics.median(t for _, t in latencies)
            one = statistics.median(bench_throughput(options.relay, environment, 1) for _ in range(3))
            many = statistics.median(bench_throughput(options.relay, environment, 64) for _ in range(3))
            peak, after_1k, after_10k, private = bench_memory(options.relay, environment)
            stores = bench_stores(options.store_bench, workdir)
        finally:
            server.terminate()
            server.wait(timeout=5)
    print("oauth-relay benchmarks (medians, this machine)")
    print(f"  start to initialize answer      {start * 1000:8.2f} ms")
    print(f"  tools/call echo, direct HTTP    {direct * 1000:8.3f} ms")
    print(f"  tools/call echo, through relay  {through * 1000:8.3f} ms")
    print(f"  added latency                   {(through - direct) * 1000:8.3f} ms")
    print(f"  calls/s, 1 in flight            {one:8.0f}")
    print(f"  calls/s, 64 in flight           {many:8.0f}")
    print(f"  peak RSS after 10,000 calls     {peak / 1024:8.1f} MiB")
    print(f"  RSS after 1,000 / 10,000 calls  {after_1k / 1024:8.1f} / {after_10k / 1024:.1f} MiB")
    print(f"  of which private (anonymous)    {private / 1024:8.1f} MiB")
    print("token stores (8 KiB token, medians of 200)")
    for name, row in stores:
        print(f"  {name:32}{row}")


if __name__ == "__main__":
    main()

