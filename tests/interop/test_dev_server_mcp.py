"""Interop: the dev server's own Streamable HTTP endpoint (/mcp) with the official MCP Python SDK,
straight (its Streamable HTTP client) and through the real relay (its stdio client)."""
import asyncio
import os

import httpx
import pytest

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.client.streamable_http import streamable_http_client


async def direct(url):
    async with streamable_http_client(url) as (read, write, _):
        async with ClientSession(read, write) as session:
            initialized = await session.initialize()
            tools = await session.list_tools()
            echo = await session.call_tool("echo", {"message": "straight to /mcp"})
            await session.send_ping()
            return initialized, tools, echo


@pytest.mark.parametrize("mode", ["json", "sse"])
def test_the_sdk_client_speaks_to_the_endpoint_directly(dev_server_factory, mode):
    server = dev_server_factory("--mcp-responses", mode)
    initialized, tools, echo = asyncio.run(direct(server.base_url + "/mcp"))
    assert initialized.serverInfo.name == "oauth-relay-dev-server"
    assert initialized.protocolVersion in ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
    assert {"echo", "whoami", "read_notes", "create_note"} == {tool.name for tool in tools.tools}
    assert echo.content[0].text == "straight to /mcp" and not echo.isError


async def through_relay(parameters):
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            whoami = await session.call_tool("whoami", {})
            saved = await session.call_tool("create_note", {"text": "via the SDK and the relay"})
            notes = await session.call_tool("read_notes", {})
            return whoami, saved, notes


def test_the_sdk_client_signs_in_through_the_relay(dev_server_factory, relay_binary):
    server = dev_server_factory("--auto-approve", "sdk-user", "--mcp-responses", "sse")
    environment = {
        "PATH": os.environ["PATH"], "HOME": str(server.directory),
        # Only the endpoint: the relay finds the server (RFC 9728) and registers (RFC 7591).
        "RELAY_BACKEND_URL": server.base_url + "/mcp",
        "RELAY_TOKEN_STORE": "plaintext", "RELAY_TOKEN_PATH": str(server.directory / "tokens.json"),
        "RELAY_BROWSER": "curl -s -L -o /dev/null --max-time 20",
    }
    whoami, saved, notes = asyncio.run(
        through_relay(StdioServerParameters(command=relay_binary, args=[], env=environment)))
    assert "sdk-user" in whoami.content[0].text
    assert not saved.isError
    assert "via the SDK and the relay" in notes.content[0].text


async def anonymous_whoami(url):
    async with streamable_http_client(url) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return await session.call_tool("whoami", {})


def test_a_call_that_needs_an_account_is_refused_without_a_token(dev_server_factory):
    """The SDK client has no token: its tools/call meets HTTP 401, as a client should that can
    then run the Authorization section's discovery."""
    server = dev_server_factory()
    with pytest.raises(ExceptionGroup) as refused:
        asyncio.run(asyncio.wait_for(anonymous_whoami(server.base_url + "/mcp"), 20))
    statuses = [error.response.status_code for error in refused.value.exceptions
                if isinstance(error, httpx.HTTPStatusError)]
    assert statuses == [401], repr(refused.value)
