"""Fixtures for proxy-mode interop: the dev server as the authorization server and a FastMCP
server (official MCP Python SDK) as the Streamable HTTP upstream, both on 127.0.0.1."""
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time

from mcp import StdioServerParameters

HERE = pathlib.Path(__file__).resolve().parent
SECRET = "interop-secret-for-the-streamable-http-tests-0123456789"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited: " + process.stderr.read().decode(errors="replace"))
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


class Upstream:
    """An MCP endpoint at http://127.0.0.1:PORT/mcp; with auth, behind the dev server."""

    def __init__(self, bin_dir, json_response=False, auth=True, stateless=False):
        self.workdir = tempfile.TemporaryDirectory(prefix="oauth-relay-upstream-")
        self.directory = pathlib.Path(self.workdir.name)
        self.processes = []
        port = free_port()
        self.url = f"http://127.0.0.1:{port}/mcp"
        options = ["--port", str(port)]
        if json_response:
            options.append("--json")
        if stateless:
            options.append("--stateless")
        environment = dict(os.environ, JWT_SECRET=SECRET)
        if auth:
            as_port = free_port()
            self.issuer = f"http://127.0.0.1:{as_port}"
            dev = subprocess.Popen(
                [str(bin_dir / "oauth-relay-dev-server"), "--port", str(as_port), "--roles", "as",
                 "--auto-approve", "sdk-user", "--resource", self.url, "--quiet"],
                env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            self.processes.append(dev)
            wait_for_port(as_port, dev)
            options += ["--issuer", self.issuer, "--resource", self.url]
        server = subprocess.Popen(
            [sys.executable, str(HERE / "servers" / "fastmcp_server.py"), *options],
            env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.processes.append(server)
        wait_for_port(port, server)

    def relay_parameters(self, relay_binary, **extra):
        environment = {
            "PATH": os.environ["PATH"],
            "HOME": str(self.directory),
            "RELAY_BACKEND_URL": self.url,
            "RELAY_TOKEN_STORE": "plaintext",
            "RELAY_TOKEN_PATH": str(self.directory / "tokens.json"),
            "RELAY_BROWSER": "curl -s -L -o /dev/null --max-time 20",
            "RELAY_LOG_LEVEL": "debug",
            **extra,
        }
        return StdioServerParameters(command=relay_binary, args=[], env=environment)

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
        self.workdir.cleanup()
