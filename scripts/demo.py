#!/usr/bin/env python3
"""make demo: the main job end to end on one machine.

Starts oauth-relay-dev-server (authorization server + example backend) on a free loopback port,
then drives oauth-relay over stdio exactly as an MCP host would: initialize, list tools, echo,
whoami (which needs an account, so the relay signs in through the browser step), create_note and
read_notes. Then the same against the dev server's Streamable HTTP MCP endpoint, with the relay
as a transparent proxy. The browser step is real HTTP against the consent page, done by
scripts/demo-browser.py.
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent


def step(text):
    print(f"\n==> {text}", flush=True)


class Relay:
    """A minimal MCP host: newline-delimited JSON-RPC over the relay's stdin/stdout."""

    def __init__(self, command, environment):
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=environment, text=True, bufsize=1)
        self.next_id = 1
        threading.Thread(target=self._relay_log, daemon=True).start()

    def _relay_log(self):
        for line in self.process.stderr:
            print(f"  [relay log] {line.rstrip()}" if "[browser]" not in line else line.rstrip(),
                  file=sys.stderr, flush=True)

    def request(self, method, params=None):
        message = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        self.next_id += 1
        print(f"  host -> relay: {json.dumps(message)}")
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit("the relay closed its output unexpectedly")
        answer = json.loads(line)
        shown = json.dumps(answer)
        print(f"  relay -> host: {shown if len(shown) < 400 else shown[:400] + ' ...'}")
        if "error" in answer:
            raise SystemExit(f"the relay answered an error: {answer['error']}")
        return answer["result"]

    def initialize(self):
        """initialize and notifications/initialized, as every host session begins."""
        result = self.request("initialize", {
            "protocolVersion": "2025-11-25", "capabilities": {},
            "clientInfo": {"name": "oauth-relay-demo", "version": "1"}})
        self.notify("notifications/initialized")
        print(f"  negotiated protocol {result['protocolVersion']} with {result['serverInfo']['name']}")

    def notify(self, method):
        self.process.stdin.write(json.dumps({"jsonrpc": "2.0", "method": method}) + "\n")
        self.process.stdin.flush()

    def tool(self, name, arguments=None):
        result = self.request("tools/call", {"name": name, "arguments": arguments or {}})
        text = result["content"][0]["text"]
        if result.get("isError"):
            raise SystemExit(f"tool {name} failed: {text}")
        print(f"  {name}: {text}")
        return text

    def close(self):
        self.process.stdin.close()
        return self.process.wait(timeout=5)


def start_dev_server(binary, workdir):
    port_file = workdir / "port"
    server = subprocess.Popen(
        [binary, "--port", "0", "--port-file", str(port_file)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not (port_file.exists() and port_file.read_text().strip()):
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("oauth-relay-dev-server did not start")
        time.sleep(0.02)
    return server, f"http://127.0.0.1:{port_file.read_text().strip()}"


def remote_mcp(options, environment):
    """The relay in front of a remote MCP server (the dev server's Streamable HTTP endpoint)."""
    step("A remote MCP server: the same relay, RELAY_BACKEND_URL pointed at the dev server's MCP "
         f"endpoint {environment['RELAY_BACKEND_URL']}; the relay now forwards every message as it is")
    relay = Relay([options.relay], environment)

    step("initialize: the host's request goes to the MCP server, and the server's answer comes back")
    relay.initialize()

    step("tools/list and echo: no account needed")
    print("  tools: " + ", ".join(tool["name"] for tool in relay.request("tools/list")["tools"]))
    relay.tool("echo", {"message": "hello through the MCP proxy"})

    step("whoami: the MCP server answers HTTP 401; the relay reads its resource metadata (RFC 9728) and "
         "signs in for this endpoint's own resource, then retries the request")
    relay.tool("whoami")

    step("read_notes: the same account, so the note written through the REST form is there")
    if "written through oauth-relay" not in relay.tool("read_notes"):
        raise SystemExit("the note written earlier is missing")

    step("Closing the relay's stdin: it ends the MCP session (DELETE) and exits cleanly")
    status = relay.close()
    if status != 0:
        raise SystemExit(f"the relay exited with status {status}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--relay", required=True)
    parser.add_argument("--dev-server", required=True)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="oauth-relay-demo-") as directory:
        workdir = pathlib.Path(directory)
        step("Starting oauth-relay-dev-server (authorization server + example backend) on loopback")
        server, base_url = start_dev_server(options.dev_server, workdir)
        print(f"  listening on {base_url}")
        try:
            environment = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": str(workdir),
                # The only setting a user must give: the relay finds the authorization server
                # from the backend's 401 (RFC 9728) and registers itself (RFC 7591).
                "RELAY_BACKEND_URL": base_url,
                # The demo keeps its tokens in a throw-away file, never in your own keyring.
                "RELAY_TOKEN_STORE": "plaintext",
                "RELAY_TOKEN_PATH": str(workdir / "tokens.json"),
                "RELAY_BROWSER": str(HERE / "demo-browser.py"),
                "RELAY_LOG_LEVEL": "info",
            }
            step("Starting oauth-relay as an MCP host would: a child process spoken to over stdio, "
                 "configured with RELAY_BACKEND_URL only")
            relay = Relay([options.relay], environment)

            step("initialize")
            relay.initialize()

            step("tools/list: the backend's tools, through the relay")
            tools = relay.request("tools/list")["tools"]
            print("  tools: " + ", ".join(tool["name"] for tool in tools))

            step("echo: needs no account, so no sign-in happens")
            relay.tool("echo", {"message": "hello through oauth-relay"})

            step("whoami: needs an account. The backend answers 401; the relay discovers the authorization "
                 "server, registers, and signs in (browser + PKCE + loopback redirect)")
            relay.tool("whoami")

            step("create_note and read_notes: forwarded with the stored bearer token, no new sign-in")
            relay.tool("create_note", {"text": "written through oauth-relay"})
            relay.tool("read_notes")

            step("Closing the relay's stdin: it exits cleanly")
            status = relay.close()
            tokens = workdir / "tokens.json"
            if status != 0:
                raise SystemExit(f"the relay exited with status {status}")
            if not tokens.exists():
                raise SystemExit("the relay stored no tokens")
            mode = tokens.stat().st_mode & 0o777
            print(f"  exit status {status}; tokens stored in a file of mode {mode:o} (only you can read it)")

            remote_mcp(options, dict(environment, RELAY_BACKEND_URL=base_url + "/mcp"))
        finally:
            server.terminate()
            server.wait(timeout=5)
    step("Demo finished: sign-in, token storage and forwarding all worked, for a REST backend and for a "
         "remote MCP server.")


if __name__ == "__main__":
    main()
