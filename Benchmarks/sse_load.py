#!/usr/bin/env python3
"""Load for Benchmarks/sse.sh (standard library only). Prints one JSON object on stdout.

live: SUBSCRIBERS clients follow GET /api/v1/events while a producer makes events through the
  controller with `createGroup` (one transaction and one `group` event per call; every upman
  version has it, so an older binary runs the same load):
    --producer wrk:   wrk, CONNECTIONS kept-alive connections, closed loop for DURATION seconds:
                      the rate made is what the server could take;
    --producer paced: a Python process paces RATE calls/s over CONNECTIONS connections.
  --producer-ports P1,P2,... sends the producer's calls (and the marker) to those ports instead of
  --port, spread evenly (wrk: thread i writes to port i mod n, --producer-threads threads; paced:
  connection i to port i mod n): the subscribers then follow one instance while others write
  (several `upman serve` sharing one PostgreSQL database; Benchmarks/cluster.sh).
  Reports the events made and their rate, the events/s each subscriber received and their sum,
  id gaps, duplicates and reconnects (a dropped subscriber reconnects with Last-Event-ID, as a
  browser's EventSource does), subscribers still behind after the drain, and commit-to-client
  latency (receive time minus the event's `updatedAt`, millisecond precision, which the server
  takes when the write is asked for, so it includes the wait for SQLite's writer) over every
  event of SAMPLE subscribers; and the CPU share of server, subscribers and producer.

ceiling: the same subscriber code, SUBSCRIBERS at once, each reading a pre-written
  text/event-stream file to its end from a static server (nginx): the events/s this one process
  can parse, its own ceiling, to set beside what it received from upman.

write-stream: writes that file: EVENTS frames shaped as upman's (`id:`, `event: group`, one
  `data:` line of a real group's JSON), after upman's `retry:` and `: connected` lines.

replay: one client asks for the feed with `Last-Event-ID: AFTER` and reads COUNT events.

The client parses only what it needs (event ids by counting `\\nid: `, `updatedAt` with one
regular expression per read on the sampled subscribers), so it stays cheaper than the server.
"""

import argparse
import asyncio
import calendar
import json
import multiprocessing
import os
import re
import resource
import subprocess
import tempfile
import time

from loadhttp import Controller, HTTPError, percentile

UPDATED_RE = re.compile(rb'"updatedAt":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{3})Z"')
FIRST_ID_RE = re.compile(rb"\nid: (\d+)\n")
_epoch_cache = {}


def epoch(seconds_text):
    value = _epoch_cache.get(seconds_text)
    if value is None:
        value = calendar.timegm(time.strptime(seconds_text.decode(), "%Y-%m-%dT%H:%M:%S"))
        _epoch_cache[seconds_text] = value
    return value


def cpu_seconds(who=resource.RUSAGE_SELF):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def proc_cpu_seconds(pid):
    if not pid:
        return None
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


class Subscriber(asyncio.Protocol):
    """One SSE client over a raw socket. upman's body is chunked; since the server writes whole
    event frames per chunk, chunk-size lines only ever sit between frames and are skipped. A
    static file (the ceiling) comes with Content-Length and `Connection: close`: its end is the
    end of the connection."""

    def __init__(self, hub, index, measure_latency):
        self.hub, self.index, self.measure = hub, index, measure_latency
        self.transport = None
        self.head = b""
        self.buffer = b""
        self.in_body = False
        self.connected = asyncio.get_running_loop().create_future()
        self.finished = asyncio.get_running_loop().create_future()
        self.last_id = None
        self.events = 0
        self.window_events = 0
        self.gaps = 0
        self.duplicates = 0
        self.reconnects = 0
        self.closing = False
        self.latencies = []

    async def connect(self):
        loop = asyncio.get_running_loop()
        await loop.create_connection(lambda: self, self.hub.host, self.hub.port)

    def connection_made(self, transport):
        self.transport = transport
        self.head, self.buffer, self.in_body = b"", b"", False
        extra = f"Last-Event-ID: {self.last_id}\r\n" if self.last_id is not None else ""
        if self.hub.initial_after is not None and self.last_id is None:
            extra = f"Last-Event-ID: {self.hub.initial_after}\r\n"
        if self.hub.one_shot:
            extra += "Connection: close\r\n"
        transport.write(
            f"GET {self.hub.path} HTTP/1.1\r\nHost: {self.hub.host}\r\nAccept: text/event-stream\r\n"
            f"Authorization: Bearer {self.hub.token}\r\n{extra}\r\n".encode())

    def data_received(self, data):
        now = time.time()
        if not self.in_body:
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return
            status = self.head.split(b" ", 2)[1]
            if status != b"200":
                self.hub.errors.append(f"subscriber {self.index}: HTTP {status.decode()}")
                self.transport.close()
                return
            data = self.head[end + 4:]
            self.in_body = True
        buffer = self.buffer + data
        cut = buffer.rfind(b"\n\n")
        if cut < 0:
            self.buffer = buffer
            return
        block = b"\n" + buffer[:cut + 2]
        self.buffer = buffer[cut + 2:]
        if not self.connected.done() and b": connected" in block:
            self.connected.set_result(True)
        count = block.count(b"\nid: ")
        if count == 0:
            return
        first = int(FIRST_ID_RE.search(block).group(1))
        at = block.rfind(b"\nid: ") + 5
        last = int(block[at:block.index(b"\n", at)])
        if self.last_id is not None:
            if first > self.last_id + 1:
                self.gaps += first - self.last_id - 1
            elif first <= self.last_id:
                self.duplicates += self.last_id - first + 1
        if last - first + 1 > count:
            self.gaps += last - first + 1 - count
        self.last_id = last if self.last_id is None else max(self.last_id, last)
        self.events += count
        hub = self.hub
        if hub.window_start is not None and hub.window_end is None:
            self.window_events += count
        if self.measure and hub.window_start is not None:
            for seconds, millis in UPDATED_RE.findall(block):
                self.latencies.append(now - epoch(seconds) - int(millis) / 1000)
        if hub.replay_until is not None and self.last_id >= hub.replay_until and not hub.done.done():
            hub.done.set_result(now)

    def connection_lost(self, exc):
        if self.closing:
            return
        if not self.connected.done():
            self.connected.set_result(False)
        if self.hub.one_shot:
            if not self.finished.done():
                self.finished.set_result(time.time())
            return
        self.reconnects += 1
        asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self):
        await asyncio.sleep(0.05)
        try:
            await self.connect()
        except OSError as error:
            self.hub.errors.append(f"subscriber {self.index}: reconnect failed: {error}")

    def close(self):
        self.closing = True
        if self.transport is not None:
            self.transport.close()


class Hub:
    def __init__(self, host, port, token, initial_after=None, replay_until=None, path="/api/v1/events", one_shot=False):
        self.host, self.port, self.token = host, port, token
        self.initial_after, self.replay_until = initial_after, replay_until
        self.path, self.one_shot = path, one_shot
        self.window_start = self.window_end = None
        self.errors = []
        self.done = asyncio.get_running_loop().create_future()


# ---------------------------------------------------------------- paced producer (own process)

async def produce(host, ports, token, rate, duration, connections, start_pipe):
    interval = connections / rate
    stats = {"calls": 0, "errors": 0, "error_samples": []}
    call_ms = []
    controllers = [Controller(host, ports[i % len(ports)], token) for i in range(connections)]
    for c in controllers:
        await c.conn.open()

    async def run(controller, offset, t0, stop):
        next_at = t0 + offset
        n = 0
        while True:
            now = time.monotonic()
            if now >= stop:
                break
            if next_at > now:
                await asyncio.sleep(next_at - now)
            elif now - next_at > 1.0:
                next_at = now  # far behind: do not burst to catch up
            next_at += interval
            n += 1
            try:
                t_call = time.perf_counter()
                await controller.call("createGroup", name=f"sse-paced-{n}")
                call_ms.append((time.perf_counter() - t_call) * 1000)
                stats["calls"] += 1
            except (HTTPError, OSError, asyncio.IncompleteReadError, ValueError) as error:
                stats["errors"] += 1
                if len(stats["error_samples"]) < 5:
                    stats["error_samples"].append(str(error))
                controller.conn.close()

    start_pipe.send("ready")
    start_pipe.recv()  # the subscribers noted where the log stands
    t0 = time.monotonic()
    stop = t0 + duration
    await asyncio.gather(*(run(c, i * interval / connections, t0, stop) for i, c in enumerate(controllers)))
    stats["elapsed"] = time.monotonic() - t0
    stats["cpu_seconds"] = cpu_seconds()
    call_ms.sort()
    stats["call_p50_ms"], stats["call_p99_ms"] = percentile(call_ms, 50), percentile(call_ms, 99)
    for c in controllers:
        c.conn.close()
    return stats


def producer_main(host, ports, token, rate, duration, connections, pipe):
    try:
        stats = asyncio.run(produce(host, ports, token, rate, duration, connections, pipe))
    except Exception as error:  # report, never hang the parent
        stats = {"fatal": repr(error)}
    pipe.send(stats)


async def paced_producer(args, start_window):
    context = multiprocessing.get_context("spawn")  # a forked child would inherit the running loop
    parent, child = context.Pipe()
    producer = context.Process(
        target=producer_main,
        args=(args.host, args.producer_ports, args.token, args.rate, args.duration, args.connections, child), daemon=True)
    producer.start()
    loop = asyncio.get_running_loop()
    ready = await loop.run_in_executor(None, parent.recv)  # connections are open
    if isinstance(ready, dict):
        return ready
    await start_window()
    parent.send("go")
    stats = await loop.run_in_executor(None, parent.recv)
    producer.join(5)
    return stats


# ---------------------------------------------------------------- wrk producer

WRK_LUA = """
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer %s"
wrk.headers["Content-Type"] = "application/json"
counter = 0
request = function()
    counter = counter + 1
    return wrk.format(nil, "/api/v1/controller", nil, '{"action":"createGroup","name":"sse-wrk-' .. counter .. '"}')
end
"""

# Appended with --producer-ports: thread i connects to port i mod n.
WRK_LUA_PORTS = """
local ports = {%s}
local started = 0
function setup(thread)
    local addr = wrk.lookup("%s", tostring(ports[(started %% #ports) + 1]))[1]
    thread.addr = addr
    started = started + 1
end
"""


def parse_wrk(text):
    def ms(value, unit):
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    rate = re.search(r"Requests/sec:\s+([\d.]+)", text)
    requests = re.search(r"(\d+) requests in", text)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", text)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    return {
        "calls": int(requests.group(1)) if requests else None,
        "calls_per_s": float(rate.group(1)) if rate else None,
        "call_p50_ms": ms(*p50.groups()) if p50 else None,
        "call_p99_ms": ms(*p99.groups()) if p99 else None,
        "errors": errors + (int(non2xx.group(1)) if non2xx else 0),
    }


async def wrk_producer(args, start_window):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_LUA % args.token)
        if args.producer_ports != [args.port]:
            f.write(WRK_LUA_PORTS % (", ".join(map(str, args.producer_ports)), args.host))
        script = f.name
    try:
        cpu0 = cpu_seconds(resource.RUSAGE_CHILDREN)
        await start_window()
        t0 = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            "wrk", f"-t{args.producer_threads}", f"-c{args.connections}", f"-d{args.duration:g}s", "--latency",
            "-s", script, f"http://{args.host}:{args.producer_ports[0]}/api/v1/controller",
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        out, _ = await process.communicate()
        elapsed = time.monotonic() - t0
        stats = parse_wrk(out.decode(errors="replace"))
        stats["elapsed"] = args.duration if process.returncode == 0 else elapsed
        stats["cpu_seconds"] = cpu_seconds(resource.RUSAGE_CHILDREN) - cpu0
        if process.returncode != 0:
            stats["fatal"] = out.decode(errors="replace")[-400:]
        return stats
    finally:
        os.unlink(script)


# ---------------------------------------------------------------- live

async def live(args):
    hub = Hub(args.host, args.port, args.token)
    subscribers = [Subscriber(hub, i, i < args.sample) for i in range(args.subscribers)]
    await asyncio.gather(*(s.connect() for s in subscribers))
    await asyncio.wait_for(asyncio.gather(*(s.connected for s in subscribers)), 20)
    marks = {}

    async def start_window():
        # A marker event: once every subscriber holds it (and nothing newer), the window starts
        # after its id. Live subscribers get no history, so their ids say nothing before this.
        marker = Controller(args.host, args.producer_ports[0], args.token)
        await marker.call("createGroup", name="sse-bench-marker")
        marker.conn.close()
        deadline = time.monotonic() + 20
        while True:
            ids = {s.last_id for s in subscribers}
            if None not in ids and len(ids) == 1:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"the marker event did not reach every subscriber: {sorted(ids, key=str)[:5]}")
            await asyncio.sleep(0.05)
        marks["start_id"] = ids.pop()
        for s in subscribers:
            s.latencies.clear()
            s.window_events = 0
        marks["cpu0"], marks["server0"] = cpu_seconds(), proc_cpu_seconds(args.server_pid)
        hub.window_start = time.time()

    producer = wrk_producer if args.producer == "wrk" else paced_producer
    stats = await producer(args, start_window)
    hub.window_end = time.time()
    cpu1, server1 = cpu_seconds(), proc_cpu_seconds(args.server_pid)
    if "start_id" not in marks:
        return {"fatal": f"producer: {stats}"}

    # Drain: wait until every subscriber holds the newest id (at most args.drain seconds).
    deadline = time.monotonic() + args.drain
    final_id = max((s.last_id or 0) for s in subscribers)
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        newest = max((s.last_id or 0) for s in subscribers)
        if newest == final_id and all(s.last_id == newest for s in subscribers):
            break
        final_id = newest
    behind = sum(1 for s in subscribers if (s.last_id or 0) < final_id)
    for s in subscribers:
        s.close()

    window = hub.window_end - hub.window_start
    latencies = sorted(x * 1000 for s in subscribers for x in s.latencies)
    per_subscriber = sorted(s.window_events / window for s in subscribers)
    made = final_id - marks["start_id"]
    elapsed = stats.get("elapsed") or window
    return {
        "producer_kind": args.producer,
        "subscribers": args.subscribers,
        "offered_rate": args.rate if args.producer == "paced" else None,
        "window_s": round(window, 3),
        "producer": stats,
        "made_events": made,
        "made_rate": made / elapsed,
        "latency_events": len(latencies),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p99_ms": percentile(latencies, 99),
        "latency_max_ms": latencies[-1] if latencies else None,
        "per_subscriber_rate_min": per_subscriber[0],
        "per_subscriber_rate_median": percentile(per_subscriber, 50),
        "delivered_rate": sum(s.window_events for s in subscribers) / window,
        "gaps": sum(s.gaps for s in subscribers),
        "duplicates": sum(s.duplicates for s in subscribers),
        "reconnects": sum(s.reconnects for s in subscribers),
        "behind_at_end": behind,
        "client_cpu_share": (cpu1 - marks["cpu0"]) / window,
        "server_cpu_share": (server1 - marks["server0"]) / window
        if marks["server0"] is not None and server1 is not None else None,
        "producer_cpu_share": stats.get("cpu_seconds", 0) / window,
        "errors": hub.errors[:5],
    }


# ---------------------------------------------------------------- ceiling

def write_stream(args):
    data = open(args.frame_data, encoding="utf-8").read().strip()
    if "\n" in data or not data.startswith("{"):
        raise SystemExit(f"{args.frame_data}: expected one line of JSON")
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("retry: 2000\n: connected\n\n")
        for i in range(1, args.events + 1):
            f.write(f"id: {i}\nevent: group\ndata: {data}\n\n")
    return {"events": args.events, "bytes": os.path.getsize(args.out)}


async def ceiling(args):
    hub = Hub(args.host, args.port, args.token, path=args.path, one_shot=True)
    subscribers = [Subscriber(hub, i, i < args.sample) for i in range(args.subscribers)]
    hub.window_start = time.time()  # the sampled subscribers parse updatedAt, as in the live run
    cpu0 = cpu_seconds()
    t0 = time.time()
    await asyncio.gather(*(s.connect() for s in subscribers))
    try:
        await asyncio.wait_for(asyncio.gather(*(s.finished for s in subscribers)), args.timeout)
        complete = True
    except asyncio.TimeoutError:
        complete = False
    elapsed = time.time() - t0
    cpu1 = cpu_seconds()
    for s in subscribers:
        s.close()
    events = sum(s.events for s in subscribers)
    return {
        "subscribers": args.subscribers,
        "complete": complete and all(s.events == subscribers[0].events for s in subscribers),
        "events_per_subscriber": subscribers[0].events,
        "events": events,
        "seconds": elapsed,
        "events_per_s": events / elapsed,
        "gaps": sum(s.gaps for s in subscribers),
        "client_cpu_share": (cpu1 - cpu0) / elapsed,
        "errors": hub.errors[:5],
    }


# ---------------------------------------------------------------- replay

async def replay(args):
    hub = Hub(args.host, args.port, args.token, initial_after=args.after, replay_until=args.after + args.count)
    subscriber = Subscriber(hub, 0, False)
    cpu0, server0 = cpu_seconds(), proc_cpu_seconds(args.server_pid)
    t0 = time.time()
    await subscriber.connect()
    try:
        t1 = await asyncio.wait_for(hub.done, args.timeout)
    except asyncio.TimeoutError:
        t1 = None
    elapsed = (t1 or time.time()) - t0
    cpu1, server1 = cpu_seconds(), proc_cpu_seconds(args.server_pid)
    subscriber.close()
    received = min(subscriber.events, args.count)
    return {
        "after": args.after,
        "requested": args.count,
        "received": subscriber.events,
        "complete": t1 is not None,
        "seconds": elapsed,
        "events_per_s": received / elapsed if elapsed > 0 else None,
        "gaps": subscriber.gaps,
        "client_cpu_share": (cpu1 - cpu0) / elapsed,
        "server_cpu_share": (server1 - server0) / elapsed if server0 is not None and server1 is not None else None,
        "errors": hub.errors[:5],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["live", "ceiling", "write-stream", "replay"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int)
    parser.add_argument("--token", default="")
    parser.add_argument("--server-pid", type=int, default=0)
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--sample", type=int, default=10, help="subscribers that time every event")
    parser.add_argument("--producer", choices=["wrk", "paced"], default="wrk")
    parser.add_argument("--rate", type=float, default=1000, help="paced: createGroup calls (= events) per second")
    parser.add_argument("--connections", type=int, default=16, help="producer connections")
    parser.add_argument("--producer-ports", default="",
                        help="live: comma-separated ports the producer writes to (default: --port)")
    parser.add_argument("--producer-threads", type=int, default=1, help="live, wrk: wrk threads")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--drain", type=float, default=5)
    parser.add_argument("--path", default="/api/v1/events", help="ceiling: the file's path on the static server")
    parser.add_argument("--frame-data", help="write-stream: a file holding one event's JSON (one line)")
    parser.add_argument("--events", type=int, default=50_000, help="write-stream: frames to write")
    parser.add_argument("--out", help="write-stream: the file to write")
    parser.add_argument("--after", type=int, default=0, help="replay: Last-Event-ID")
    parser.add_argument("--count", type=int, default=100_000, help="replay: events to read")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    args.producer_ports = [int(p) for p in args.producer_ports.split(",") if p] or [args.port]
    if args.mode == "write-stream":
        result = write_stream(args)
    else:
        if args.port is None:
            parser.error("--port is required")
        result = asyncio.run({"live": live, "ceiling": ceiling, "replay": replay}[args.mode](args))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
