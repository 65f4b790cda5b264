"""The real relay binary in front of a hostile Streamable HTTP server (hostile_upstream.py): its
memory, its connections, its reconnects and its log must all stay under the relay's control."""
import json
import os
import pathlib
import select
import subprocess
import tempfile
import time

import pytest

INITIALIZE = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
              "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}


class Relay:
    def __init__(self, binary, url):
        self.workdir = tempfile.TemporaryDirectory(prefix="oauth-relay-hostile-")
        environment = {"PATH": os.environ["PATH"], "HOME": self.workdir.name, "RELAY_BACKEND_URL": url,
                       "RELAY_TOKEN_STORE": "plaintext", "RELAY_BROWSER": "none",
                       "RELAY_TOKEN_PATH": os.path.join(self.workdir.name, "tokens.json")}
        self.stderr_path = pathlib.Path(self.workdir.name) / "stderr"
        self.stderr = open(self.stderr_path, "wb")
        self.process = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.stderr, env=environment)
        self.buffer = b""

    def send(self, message):
        self.process.stdin.write((json.dumps(message) + "\n").encode())
        self.process.stdin.flush()

    def call(self, request_id, tool):
        self.send({"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
                   "params": {"name": tool, "arguments": {}}})

    def messages(self, until, limit=30):
        """Reads stdout until `until(messages)` holds or the limit (a guard against hangs) passes."""
        found = []
        deadline = time.monotonic() + limit
        while not until(found) and time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.2)
            if not ready:
                continue
            chunk = os.read(self.process.stdout.fileno(), 1 << 20)
            if not chunk:
                break
            self.buffer += chunk
            *lines, self.buffer = self.buffer.split(b"\n")
            found += [json.loads(line) for line in lines if line]
        return found

    def private_memory_mib(self):
        for line in pathlib.Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
        return 0

    def log(self):
        self.stderr.flush()
        return self.stderr_path.read_bytes()

    def close(self):
        self.process.kill()
        self.process.wait()
        self.stderr.close()
        self.workdir.cleanup()


@pytest.fixture
def relay_factory(relay_binary):
    relays = []

    def start(url):
        relay = Relay(relay_binary, url)
        relays.append(relay)
        relay.send(INITIALIZE)
        assert "result" in relay.messages(lambda found: found)[0]
        relay.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return relay

    yield start
    for relay in relays:
        relay.close()


def test_a_flood_is_read_no_faster_than_the_host_takes_it(hostile, relay_factory):
    """The host reads nothing: the relay must stop reading the server too (backpressure)
    instead of holding the whole flood in memory."""
    server = hostile()
    relay = relay_factory(server.url)
    relay.call(1, "flood")
    assert server.flood_blocked.wait(60), f"the relay read all {server.flood_sent >> 20} MiB it was sent"
    assert server.flood_sent < 64 << 20, server.flood_sent
    assert relay.private_memory_mib() < 100


def test_answered_streams_held_open_do_not_exhaust_the_connection_pool(hostile, relay_factory):
    """70 answers whose streams stay open (more than the 64 connections per host): every one
    is answered, and a request after them is too."""
    server = hostile()
    relay = relay_factory(server.url)
    for request_id in range(1, 71):
        relay.call(request_id, "answer_and_hold")
    answered = relay.messages(lambda found: len([m for m in found if "result" in m]) >= 70, limit=60)
    assert len([m for m in answered if "result" in m]) == 70
    relay.call(100, "plain")
    assert any(m.get("id") == 100 for m in relay.messages(lambda found: any(m.get("id") == 100 for m in found)))


def test_retry_zero_does_not_make_the_relay_reconnect_in_a_loop(hostile, relay_factory):
    server = hostile("retry-zero")
    relay_factory(server.url)
    deadline = time.monotonic() + 30
    while server.gets < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    # Measured at the server: however late this test wakes, reconnects never come faster than
    # the relay's floor of half a second.
    times = list(server.get_times)
    assert len(times) >= 3, times
    gaps = [later - earlier for earlier, later in zip(times, times[1:])]
    assert min(gaps) >= 0.45, gaps


def test_a_compressed_bomb_is_never_inflated(hostile, relay_factory):
    server = hostile()
    relay = relay_factory(server.url)
    relay.call(1, "gzip_bomb")
    answer = relay.messages(lambda found: any(m.get("id") == 1 for m in found))
    error = next(m for m in answer if m.get("id") == 1)["error"]["message"]
    assert "not a JSON-RPC message" in error, error
    assert relay.private_memory_mib() < 100


def test_a_server_cannot_forge_log_lines_or_reach_the_terminal(hostile, relay_factory):
    server = hostile()
    relay = relay_factory(server.url)
    relay.call(1, "forge_log")
    answer = relay.messages(lambda found: any(m.get("id") == 1 for m in found))
    assert "HTTP 502" in next(m for m in answer if m.get("id") == 1)["error"]["message"]
    log = relay.log()
    assert b"\x1b" not in log and b"\x07" not in log
    assert not any(line.startswith(b"oauth-relay info: FORGED") for line in log.splitlines()), log


def test_only_the_requests_own_first_response_reaches_the_host(hostile, relay_factory):
    server = hostile()
    relay = relay_factory(server.url)
    relay.call(1, "crosstalk")
    relay.call(2, "plain")
    found = relay.messages(lambda found: any(m.get("id") == 2 for m in found))
    found += relay.messages(lambda found: False, limit=2)  # the rest of the stream is read for a second
    answers = [m for m in found if "result" in m or "error" in m]
    assert [m["id"] for m in answers if m["id"] != 2] == [1], answers
    assert next(m for m in answers if m["id"] == 1)["result"]["content"][0]["text"] == "mine"


def test_a_malformed_answer_is_replaced_by_an_error_that_says_so(hostile, relay_factory):
    server = hostile()
    relay = relay_factory(server.url)
    relay.call(1, "malformed")
    answer = next(m for m in relay.messages(lambda found: any(m.get("id") == 1 for m in found)) if m.get("id") == 1)
    assert "malformed response" in answer["error"]["message"], answer


def test_a_notification_whose_answer_never_ends_holds_nothing_up(hostile, relay_factory):
    """notifications/initialized gets an event stream that stays open: later requests go on."""
    server = hostile(hold_notifications=True)
    relay = relay_factory(server.url)
    relay.call(1, "plain")
    assert any(m.get("id") == 1 and "result" in m for m in relay.messages(
        lambda found: any(m.get("id") == 1 for m in found)))


def test_a_cancel_is_heard_while_streams_flood_the_relay(hostile, relay_factory):
    """Two requests stream 50,000 notifications each as fast as the relay takes them; a quick
    request and a cancel sent meanwhile are served before the floods end."""
    server = hostile()
    relay = relay_factory(server.url)
    relay.call(1, "fast_flood")
    relay.call(2, "fast_flood")
    relay.messages(lambda found: len(found) >= 1000)
    relay.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 2}})
    relay.call(3, "plain")
    found = relay.messages(lambda found: any(m.get("id") == 1 for m in found), limit=120)
    order = [m["id"] for m in found if "id" in m]
    assert 3 in order and 1 in order, order[-5:]
    assert order.index(3) < order.index(1), "the quick request waited for a flood to end"
    assert 2 not in order, "the cancelled request was answered"
