"""Interop: the official MCP Python SDK's stdio client drives the real oauth-relay binary."""
import asyncio
import os

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def relay_parameters(relay_binary, server):
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(server.directory),
        "RELAY_BACKEND_URL": server.base_url,
        "RELAY_AUTH_SERVER_URL": server.base_url,
        "RELAY_CLIENT_ID": "oauth-relay",
        "RELAY_TOKEN_STORE": "plaintext",
        "RELAY_TOKEN_PATH": str(server.directory / "tokens.json"),
        # A browser that follows the redirects; the dev server approves as "sdk-user" at once.
        "RELAY_BROWSER": "curl -s -L -o /dev/null --max-time 20",
        "RELAY_LOG_LEVEL": "debug",
    }
    return StdioServerParameters(command=relay_binary, args=[], env=environment)


async def exercise(parameters):
    async with stdio_client(parameters) as (read, write):
        async with ClientSession(read, write) as session:
            initialized = await session.initialize()
            tools = await session.list_tools()
            echo = await session.call_tool("echo", {"message": "from the SDK"})
            whoami = await session.call_tool("whoami", {})
            return initialized, tools, echo, whoami


def test_sdk_client_initializes_lists_and_calls_tools(dev_server_factory, relay_binary):
    server = dev_server_factory("--auto-approve", "sdk-user")
    initialized, tools, echo, whoami = asyncio.run(exercise(relay_parameters(relay_binary, server)))

    assert initialized.serverInfo.name == "oauth-relay"
    assert initialized.capabilities.tools is not None
    names = {tool.name for tool in tools.tools}
    assert {"echo", "whoami", "read_notes", "create_note"} <= names
    assert not echo.isError
    assert "from the SDK" in echo.content[0].text
    assert not whoami.isError, whoami.content[0].text
    assert "sdk-user" in whoami.content[0].text
