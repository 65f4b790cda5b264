"""A Streamable HTTP MCP server built with the official MCP Python SDK (FastMCP), for interop
tests and benchmarks. Listens on 127.0.0.1 only.

    fastmcp_server.py --port P [--json] [--stateless] [--issuer URL --resource URL]

With --issuer, every request needs a bearer token: an HS256 JWT from oauth-relay-dev-server
signed with $JWT_SECRET, issued by --issuer for the audience --resource.
"""
import argparse
import asyncio
import os
import time

import jwt
from pydantic import BaseModel

from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp import types
from mcp.server.fastmcp import Context, FastMCP


class DevServerTokens:
    """Verifies the dev server's access tokens: signature, issuer, audience, expiry."""

    def __init__(self, secret, issuer, resource):
        self.secret, self.issuer, self.resource = secret, issuer, resource
        self.not_before = 0

    async def verify_token(self, token):
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"], issuer=self.issuer,
                                audience=self.resource)
        except jwt.PyJWTError:
            return None
        if claims.get("iat", 0) <= self.not_before:
            return None  # issued before the last key rotation: rejected with a 401
        return AccessToken(token=token, client_id=claims.get("client_id", ""),
                           scopes=claims.get("scope", "").split(), expires_at=claims.get("exp"),
                           resource=self.resource, subject=claims.get("sub"))


class Name(BaseModel):
    name: str


def build(arguments):
    options = dict(host="127.0.0.1", port=arguments.port, json_response=arguments.json,
                   stateless_http=arguments.stateless, log_level="WARNING")
    if arguments.issuer:
        options["token_verifier"] = DevServerTokens(os.environ["JWT_SECRET"], arguments.issuer,
                                                    arguments.resource)
        options["auth"] = AuthSettings(issuer_url=arguments.issuer, resource_server_url=arguments.resource,
                                       validate_token_resource=True)
    server = FastMCP("interop-fastmcp", **options)
    verifier = options.get("token_verifier")

    @server.tool()
    async def rotate_keys() -> str:
        """From now on, tokens issued until now are refused (a 401 in the middle of a session)."""
        if verifier:
            verifier.not_before = int(time.time())
            await asyncio.sleep(1.1)  # so that the next token's iat (in seconds) is later
        return "rotated"

    @server.tool()
    def echo(message: str) -> str:
        """Echoes the message."""
        return f"echo: {message}"

    @server.tool()
    def whoami(ctx: Context) -> str:
        """The signed-in subject, from the bearer token."""
        from mcp.server.auth.middleware.auth_context import get_access_token
        token = get_access_token()
        return f"subject: {token.subject if token else 'anonymous'}"

    @server.tool()
    async def count(to: int, ctx: Context, delay: float = 0.05) -> str:
        """Counts to `to`, reporting progress and a log message at every step."""
        for step in range(1, to + 1):
            await ctx.report_progress(step, to, f"step {step}")
            await ctx.info(f"counted {step}")
            await asyncio.sleep(delay)
        return f"counted to {to}"

    released = asyncio.Event()

    @server.tool()
    async def wait_for_release(ctx: Context) -> str:
        """Reports progress, then waits until `release` is called. A client can only call it once
        the progress has reached it, so the call finishes only if the stream is not buffered."""
        released.clear()
        await ctx.report_progress(1, 2, "waiting for release")
        try:
            await asyncio.wait_for(released.wait(), 20)
        except asyncio.TimeoutError:
            return "never released"
        return "released"

    @server.tool()
    def release() -> str:
        """Lets `wait_for_release` finish."""
        released.set()
        return "ok"

    @server.tool()
    async def sleep(seconds: float) -> str:
        """Sleeps; used to test cancellation and timeouts."""
        await asyncio.sleep(seconds)
        return "slept"

    @server.tool()
    async def greet(ctx: Context) -> str:
        """Asks the user for a name (elicitation) and greets them."""
        answer = await ctx.elicit("What is your name?", Name)
        if answer.action == "accept":
            return f"hello, {answer.data.name}"
        return f"no name ({answer.action})"

    @server.tool()
    async def add_tool(name: str, ctx: Context) -> str:
        """Adds a tool and tells the client the tool list changed."""
        server.add_tool(lambda: name, name=name, description="added at run time")
        await ctx.session.send_tool_list_changed()
        return f"added {name}"

    @server.tool()
    async def summarize(text: str, ctx: Context) -> str:
        """Asks the client's model for a summary (sampling)."""
        message = types.SamplingMessage(role="user", content=types.TextContent(type="text", text=text))
        result = await ctx.session.create_message(messages=[message], max_tokens=40)
        return f"summary: {result.content.text}"

    @server.tool()
    async def roots(ctx: Context) -> str:
        """Lists the client's roots."""
        listed = await ctx.session.list_roots()
        return "roots: " + ", ".join(str(root.uri) for root in listed.roots)

    levels = []

    @server._mcp_server.set_logging_level()
    async def set_level(level):
        levels.append(level)

    @server.tool()
    def log_level() -> str:
        """The level the client asked for last (logging/setLevel)."""
        return f"level: {levels[-1] if levels else 'unset'}"

    @server.completion()
    async def complete(ref, argument, context):
        if argument.name == "code":
            return types.Completion(values=[v for v in ["x = 1", "x = 2", "y = 3"] if v.startswith(argument.value)])
        return None

    @server.resource("notes://readme")
    def readme() -> str:
        """A fixed text resource."""
        return "read me"

    @server.resource("notes://{topic}")
    def note(topic: str) -> str:
        """A templated resource."""
        return f"note about {topic}"

    @server.prompt()
    def review(code: str) -> str:
        """A prompt with one argument."""
        return f"Please review: {code}"

    return server


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--json", action="store_true", help="JSON responses instead of SSE streams")
    parser.add_argument("--stateless", action="store_true")
    parser.add_argument("--issuer")
    parser.add_argument("--resource")
    build(parser.parse_args()).run(transport="streamable-http")


if __name__ == "__main__":
    main()
