"""Shared fixtures: the real dev server binary on a free loopback port, and the hostile upstream."""
import os
import pathlib
import subprocess
import tempfile
import time

import pytest

from hostile_upstream import HostileUpstream

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = pathlib.Path(os.environ.get("OAUTH_RELAY_BIN_DIR", ROOT / ".build" / "debug"))


class DevServer:
    def __init__(self, *options):
        self.workdir = tempfile.TemporaryDirectory(prefix="oauth-relay-interop-")
        port_file = pathlib.Path(self.workdir.name) / "port"
        self.process = subprocess.Popen(
            [str(BIN / "oauth-relay-dev-server"), "--port", "0", "--port-file", str(port_file), *options],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while not (port_file.exists() and port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("dev server did not start: " + self.process.stderr.read().decode())
            time.sleep(0.02)
        self.base_url = f"http://127.0.0.1:{port_file.read_text().strip()}"
        self.directory = pathlib.Path(self.workdir.name)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=5)
        self.workdir.cleanup()


def started_for_the_test(make):
    """A factory fixture's body: the test starts servers with make's arguments; all stop after it."""
    servers = []

    def start(*arguments, **options):
        server = make(*arguments, **options)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def dev_server_factory():
    yield from started_for_the_test(DevServer)


@pytest.fixture
def hostile():
    """HostileUpstream servers on loopback (hostile_upstream.py), stopped after the test."""
    yield from started_for_the_test(HostileUpstream)


@pytest.fixture
def relay_binary():
    return str(BIN / "oauth-relay")
