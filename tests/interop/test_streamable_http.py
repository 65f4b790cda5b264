"""Interop, proxy mode: the official MCP Python SDK's stdio client talks through the real
oauth-relay binary to a FastMCP Streamable HTTP server protected by bearer tokens from the dev
server — discovery from the 401, registration, sign-in, then everything MCP offers."""
import asyncio
import json
import os

import pytest

from mcp import ClientSession, types
from mcp.client.stdio import stdio_client

from conftest import BIN
from upstream import Upstream


@pytest.fixture(params=["sse", "json"])
def upstream(request):
    server = Upstream(BIN, json_response=request.param == "json")
    server.mode = request.param
    yield server
    server.stop()


class Recorder:
    def __init__(self):
        self.progress = []
        self.logs = []
        self.notifications = []
        self.elicitations = []

    async def on_progress(self, progress, total, message):
        self.progress.append((progress, total, message))

    async def on_log(self, params):
        self.logs.append(params.data)

    async def on_message(self, message):
        if isinstance(message, types.ServerNotification):
            self.notifications.append(message.root.method)

    async def on_elicit(self, context, params):
        self.elicitations.append(params.message)
        return types.ElicitResult(action="accept", content={"name": "Ada"})

    async def on_sampling(self, context, params):
        asked = params.messages[0].content.text
        return types.CreateMessageResult(role="assistant", model="host-model",
                                         content=types.TextContent(type="text", text=f"short {asked}"))

    async def on_roots(self, context):
        return types.ListRootsResult(roots=[types.Root(uri="file:///work/project", name="project")])


async def exercise(parameters, recorder, streaming):
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write, elicitation_callback=recorder.on_elicit,
                                 sampling_callback=recorder.on_sampling, list_roots_callback=recorder.on_roots,
                                 logging_callback=recorder.on_log,
                                 message_handler=recorder.on_message) as session:
            results = {"initialize": await session.initialize()}
            results["tools"] = await session.list_tools()
            results["echo"] = await session.call_tool("echo", {"message": "through the relay"})
            results["whoami"] = await session.call_tool("whoami", {})
            results["count"] = await session.call_tool("count", {"to": 3},
                                                       progress_callback=recorder.on_progress)
            if streaming:
                # In JSON mode the SDK's server drops every message but the response (progress,
                # logs, and the elicitation request), so a tool that elicits cannot finish there.
                results["greet"] = await session.call_tool("greet", {})
                # Requests from the server to the client: sampling and roots, answered by the host.
                results["summarize"] = await session.call_tool("summarize", {"text": "a long text"})
                results["roots"] = await session.call_tool("roots", {})
            await session.set_logging_level("warning")
            results["log_level"] = await session.call_tool("log_level", {})
            results["completion"] = await session.complete(
                types.PromptReference(type="ref/prompt", name="review"), {"name": "code", "value": "x"})
            results["resources"] = await session.list_resources()
            results["templates"] = await session.list_resource_templates()
            results["readme"] = await session.read_resource("notes://readme")
            results["note"] = await session.read_resource("notes://swift")
            results["prompts"] = await session.list_prompts()
            results["prompt"] = await session.get_prompt("review", {"code": "x = 1"})
            results["added"] = await session.call_tool("add_tool", {"name": "late_tool"})
            for _ in range(50):
                if "notifications/tools/list_changed" in recorder.notifications:
                    break
                await asyncio.sleep(0.05)
            results["tools_after"] = await session.list_tools()
            await session.send_ping()
            return results


def text(result):
    return result.content[0].text


def test_everything_works_through_the_relay(upstream, relay_binary):
    recorder = Recorder()
    streaming = upstream.mode == "sse"
    results = asyncio.run(exercise(upstream.relay_parameters(relay_binary), recorder, streaming))

    assert results["initialize"].serverInfo.name == "interop-fastmcp"
    names = {tool.name for tool in results["tools"].tools}
    assert {"echo", "whoami", "count", "greet", "add_tool"} <= names
    assert text(results["echo"]) == "echo: through the relay"
    assert text(results["whoami"]) == "subject: sdk-user"
    assert text(results["count"]) == "counted to 3"
    if streaming:
        assert [step[0] for step in recorder.progress] == [1, 2, 3]
        assert recorder.logs == ["counted 1", "counted 2", "counted 3"]
        assert recorder.elicitations == ["What is your name?"]
        assert text(results["greet"]) == "hello, Ada"
        assert text(results["summarize"]) == "summary: short a long text"
        assert text(results["roots"]) == "roots: file:///work/project"
    assert text(results["log_level"]) == "level: warning"
    assert results["completion"].completion.values == ["x = 1", "x = 2"]
    assert "notes://readme" in {str(resource.uri) for resource in results["resources"].resources}
    assert results["templates"].resourceTemplates[0].uriTemplate == "notes://{topic}"
    assert results["readme"].contents[0].text == "read me"
    assert results["note"].contents[0].text == "note about swift"
    assert [prompt.name for prompt in results["prompts"].prompts] == ["review"]
    assert "x = 1" in results["prompt"].messages[0].content.text
    assert "notifications/tools/list_changed" in recorder.notifications
    assert "late_tool" in {tool.name for tool in results["tools_after"].tools}


async def call_elicit_in_json_mode(parameters):
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            try:
                await session.call_tool("greet", {})
            except Exception as error:  # McpError carries the relay's message
                return str(error)
            return "no error"


def test_an_upstream_that_never_answers_gives_a_clear_error_not_a_hang(relay_binary):
    """The SDK's JSON mode swallows the elicitation request, so the call never completes upstream;
    the relay gives up after RELAY_HTTP_TIMEOUT with a message that names the setting."""
    server = Upstream(BIN, json_response=True)
    try:
        parameters = server.relay_parameters(relay_binary, RELAY_HTTP_TIMEOUT="2")
        message = asyncio.run(asyncio.wait_for(call_elicit_in_json_mode(parameters), 30))
    finally:
        server.stop()
    assert "RELAY_HTTP_TIMEOUT" in message


async def stream_and_rotate(parameters, errlog):
    """Progress must reach the host while its call is still open (the SSE stream is not buffered:
    the tool finishes only when the host, having seen the progress, calls `release`), and a 401 in
    the middle of the session must be recovered from without the host noticing."""
    async with stdio_client(parameters, errlog=errlog) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            before = await session.call_tool("whoami", {})
            releases = []

            async def on_progress(progress, total, message):
                releases.append(asyncio.create_task(session.call_tool("release", {})))

            waited = await session.call_tool("wait_for_release", {}, progress_callback=on_progress)
            await asyncio.gather(*releases)
            await session.call_tool("rotate_keys", {})
            after = await session.call_tool("whoami", {})
            return before, waited, after


def test_sse_is_streamed_and_a_401_mid_session_is_recovered(relay_binary):
    server = Upstream(BIN)
    try:
        with open(server.directory / "relay.log", "w+") as errlog:
            before, waited, after = asyncio.run(stream_and_rotate(server.relay_parameters(relay_binary), errlog))
            errlog.seek(0)
            log = errlog.read()
    finally:
        server.stop()
    assert log.count("signed in oauth.issuer") == 1
    assert "access token refreshed" in log
    assert text(before) == "subject: sdk-user"
    assert text(waited) == "released"
    assert not after.isError
    assert text(after) == "subject: sdk-user"


def test_an_untrusted_certificate_is_reported_as_a_tls_failure(relay_binary, tmp_path):
    """A self-signed upstream: the host gets an error that says TLS and the certificate, and how
    to trust a private certificate authority."""
    import http.server
    import ssl
    import subprocess
    import threading

    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem"),
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        line = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})
        result = subprocess.run(
            [relay_binary], input=line + "\n", capture_output=True, text=True, timeout=20,
            env={"PATH": os.environ["PATH"], "HOME": str(tmp_path),
                 "RELAY_BACKEND_URL": f"https://127.0.0.1:{server.server_address[1]}/mcp",
                 "RELAY_TOKEN_STORE": "plaintext", "RELAY_TOKEN_PATH": str(tmp_path / "t.json")})
    finally:
        server.shutdown()
    message = json.loads(result.stdout.splitlines()[0])["error"]["message"]
    assert "TLS" in message and "certificate" in message, message


async def call_in_stateless_mode(parameters):
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = await session.list_tools()
            echo = await session.call_tool("echo", {"message": "no session"})
            whoami = await session.call_tool("whoami", {})
            return tools, echo, whoami


def test_a_stateless_server_without_session_ids(relay_binary):
    server = Upstream(BIN, json_response=True, stateless=True)
    try:
        tools, echo, whoami = asyncio.run(call_in_stateless_mode(server.relay_parameters(relay_binary)))
    finally:
        server.stop()
    assert "echo" in {tool.name for tool in tools.tools}
    assert text(echo) == "echo: no session"
    assert text(whoami) == "subject: sdk-user"
