"""A deliberately misbehaving Streamable HTTP MCP server on 127.0.0.1, for the relay's
robustness tests: it floods, holds answered streams open, asks for instant reconnects, sends
compressed bombs and control characters. Plain sockets and threads, so every byte is ours."""
import json
import socket
import threading
import time
import zlib


class HostileUpstream:
    """POST /mcp: initialize gets a JSON answer; tools/call runs the behaviour named by the tool.
    GET /mcp: the server stream, per `stream_behaviour`."""

    def __init__(self, stream_behaviour="none", hold_notifications=False):
        self.stream_behaviour = stream_behaviour
        self.hold_notifications = hold_notifications
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/mcp"
        self.lock = threading.Lock()
        self.flood_sent = 0
        self.flood_blocked = threading.Event()
        self.gets = 0
        self.get_times = []
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def stop(self):
        self.stopped = True
        self.listener.close()

    def _accept(self):
        while not self.stopped:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection):
        with connection:
            reader = connection.makefile("rb")
            while not self.stopped:
                request = self._read_request(reader)
                if request is None:
                    return
                method, headers, body = request
                try:
                    if not self._answer(connection, method, body):
                        return
                except OSError:
                    return

    @staticmethod
    def _read_request(reader):
        line = reader.readline()
        if not line:
            return None
        method = line.split(b" ")[0].decode()
        headers = {}
        while True:
            line = reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        body = reader.read(int(headers.get("content-length", "0")))
        return method, headers, body

    # -- answers ---------------------------------------------------------------------------

    def _answer(self, connection, method, body):
        """Writes one answer; False when the connection is to be closed."""
        if method == "GET":
            return self._stream(connection)
        if method == "DELETE":
            self._send(connection, 200, b"", "text/plain")
            return True
        message = json.loads(body)
        if "id" not in message:
            if self.hold_notifications:
                # An event stream for a notification, kept open: the transport allows only 202.
                self._start_stream(connection)
                while not self.stopped:
                    time.sleep(0.2)
                    connection.sendall(b": not done\n\n")
                return False
            self._send(connection, 202, b"", "text/plain")
            return True
        if message["method"] == "initialize":
            result = {"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                      "serverInfo": {"name": "hostile", "version": "1"}}
            self._send(connection, 200, self._response(message["id"], result), "application/json",
                       [("Mcp-Session-Id", "hostile-1")])
            return True
        name = message.get("params", {}).get("name")
        handler = getattr(self, f"_tool_{name}", None)
        if handler is None:
            self._send(connection, 200, self._response(message["id"], {"content": []}), "application/json")
            return True
        return handler(connection, message["id"])

    @staticmethod
    def _response(request_id, result):
        return json.dumps({"jsonrpc": "2.0", "id": request_id, "result": result}).encode()

    @staticmethod
    def _send(connection, status, body, content_type, extra=()):
        head = [f"HTTP/1.1 {status} X", f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
        head += [f"{name}: {value}" for name, value in extra]
        connection.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)

    @staticmethod
    def _start_stream(connection):
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n")

    def _tool_flood(self, connection, request_id):
        """Notifications as fast as the socket takes them, 256 MiB in all, then the answer."""
        self._start_stream(connection)
        note = json.dumps({"jsonrpc": "2.0", "method": "notifications/message",
                           "params": {"level": "info", "data": "x" * 4000}})
        event = f"event: message\ndata: {note}\n\n".encode()
        connection.settimeout(2)
        try:
            while self.flood_sent < 256 << 20:
                connection.sendall(event)
                with self.lock:
                    self.flood_sent += len(event)
        except socket.timeout:
            self.flood_blocked.set()  # the relay stopped reading: that is the point
            return False
        connection.sendall(b"data: " + self._response(request_id, {"content": []}) + b"\n\n")
        return False

    def _tool_answer_and_hold(self, connection, request_id):
        """The answer, then the stream held open with keep-alive comments (the server SHOULD
        close it, and does not)."""
        self._start_stream(connection)
        connection.sendall(b"event: message\ndata: " + self._response(
            request_id, {"content": [{"type": "text", "text": "held"}]}) + b"\n\n")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.stopped:
            time.sleep(0.2)
            connection.sendall(b": still here\n\n")
        return False

    def _tool_crosstalk(self, connection, request_id):
        """A response for another request first, then this request's own, twice."""
        self._start_stream(connection)
        for answer_id, text in (("someone-else", "forged"), (request_id, "mine"), (request_id, "again")):
            connection.sendall(b"data: " + self._response(
                answer_id, {"content": [{"type": "text", "text": text}]}) + b"\n\n")
        return False

    def _tool_malformed(self, connection, request_id):
        """A response whose result is a number and no object."""
        self._send(connection, 200, self._response(request_id, 5), "application/json")
        return True

    def _tool_fast_flood(self, connection, request_id):
        """50,000 small notifications as fast as they go, then the answer."""
        self._start_stream(connection)
        note = json.dumps({"jsonrpc": "2.0", "method": "notifications/message",
                           "params": {"level": "info", "data": "n"}})
        batch = (f"data: {note}\n\n" * 500).encode()
        for _ in range(100):
            connection.sendall(batch)
        connection.sendall(b"data: " + self._response(request_id, {"content": []}) + b"\n\n")
        return False

    def _tool_gzip_bomb(self, connection, request_id):
        """A quarter MiB of gzip that would inflate to 256 MiB, sent although nobody asked for it."""
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = b"\0" * (1 << 20)
        bomb = b"".join(compressor.compress(zeros) for _ in range(256)) + compressor.flush()
        self._send(connection, 200, bomb, "application/json", [("Content-Encoding", "gzip")])
        return True

    def _tool_forge_log(self, connection, request_id):
        """A 502 whose page carries a terminal escape and a line break into the relay's log."""
        body = b"bad gateway\x1b]0;owned\x07\noauth-relay info: FORGED LINE"
        self._send(connection, 502, body, "text/plain")
        return True

    def _stream(self, connection):
        with self.lock:
            self.gets += 1
            self.get_times.append(time.monotonic())
        if self.stream_behaviour == "retry-zero":
            self._start_stream(connection)
            note = json.dumps({"jsonrpc": "2.0", "method": "notifications/message",
                               "params": {"level": "info", "data": "hello"}})
            connection.sendall(f"retry: 0\nid: {self.gets}\ndata: {note}\n\n".encode())
            return False
        self._send(connection, 405, b"", "text/plain")
        return True
