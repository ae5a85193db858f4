"""A small keep-alive HTTP/1.1 client on asyncio streams, shared by sse_load.py and
controller_load.py (standard library only). One connection, one request at a time."""

import asyncio
import json


class HTTPError(Exception):
    """A non-2xx answer, or a broken connection."""

    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body[:200]!r}")
        self.status = status
        self.body = body


class Connection:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)

    def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    async def request(self, method, path, body=b"", headers=None):
        """Sends one request and returns (status, body bytes); reconnects once when the kept-alive
        connection was closed by the server before the request went out."""
        if self.writer is None:
            await self.open()
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Length: {len(body)}\r\n"
        for name, value in (headers or {}).items():
            head += f"{name}: {value}\r\n"
        self.writer.write(head.encode() + b"\r\n")
        if body:
            self.writer.write(body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            self.close()
            raise HTTPError(0, b"connection closed")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.lower() == "close":
                close = True
        if chunked:
            parts = []
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            data = b"".join(parts)
        else:
            data = await self.reader.readexactly(length or 0)
        if close:
            self.close()
        return status, data


class Controller:
    """`POST /api/v1/controller` with a bearer token over one kept-alive connection."""

    def __init__(self, host, port, token):
        self.conn = Connection(host, port)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    async def call(self, action, **fields):
        fields["action"] = action
        status, data = await self.conn.request(
            "POST", "/api/v1/controller", json.dumps(fields).encode(), self.headers)
        if not 200 <= status < 300:
            raise HTTPError(status, data)
        return json.loads(data)


def percentile(values, p):
    """Nearest-rank percentile of a sorted list (None when empty)."""
    if not values:
        return None
    index = min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))
    return values[index]
