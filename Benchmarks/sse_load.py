#!/usr/bin/env python3
"""Load for Benchmarks/sse.sh (standard library only). Prints one JSON object on stdout.

fanout: SUBSCRIBERS clients follow GET /api/v1/events while a producer process records parts
  through the controller (`partUploaded`, three events per call: part, session, group) at about
  RATE events/s for DURATION seconds. Reports the production rate reached, commit-to-client
  latency (receive time minus the event's `updatedAt`, millisecond precision; the server takes
  that time when the write is asked for, so under load it includes the wait for SQLite's single
  writer; the producer's own partUploaded round trip p50/p99 is reported beside it) over every event of SAMPLE subscribers, the events/s each
  subscriber received, id gaps, duplicates and reconnects (a dropped subscriber reconnects with
  Last-Event-ID, as a browser's EventSource does).

replay: one client asks for the feed with `Last-Event-ID: AFTER` and reads COUNT events.

The client parses only what it needs (event ids by counting `\\nid: `, `updatedAt` with one
regular expression per read), so it stays cheaper than the server; its CPU use is reported.
"""

import argparse
import asyncio
import calendar
import json
import multiprocessing
import os
import re
import resource
import time

from loadhttp import Controller, HTTPError, percentile

MIB = 1 << 20
EVENTS_PER_CALL = 3
UPDATED_RE = re.compile(rb'"updatedAt":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{3})Z"')
FIRST_ID_RE = re.compile(rb"\nid: (\d+)\n")
_epoch_cache = {}


def epoch(seconds_text):
    value = _epoch_cache.get(seconds_text)
    if value is None:
        value = calendar.timegm(time.strptime(seconds_text.decode(), "%Y-%m-%dT%H:%M:%S"))
        _epoch_cache[seconds_text] = value
    return value


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
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
    """One SSE client over a raw socket. The body is chunked; since the server writes whole
    event frames per chunk, chunk-size lines only ever sit between frames and are skipped."""

    def __init__(self, hub, index, measure_latency):
        self.hub, self.index, self.measure = hub, index, measure_latency
        self.transport = None
        self.head = b""
        self.buffer = b""
        self.in_body = False
        self.connected = asyncio.get_running_loop().create_future()
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
        transport.write(
            f"GET /api/v1/events HTTP/1.1\r\nHost: {self.hub.host}\r\nAccept: text/event-stream\r\n"
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
    def __init__(self, host, port, token, initial_after=None, replay_until=None):
        self.host, self.port, self.token = host, port, token
        self.initial_after, self.replay_until = initial_after, replay_until
        self.window_start = self.window_end = None
        self.errors = []
        self.done = asyncio.get_running_loop().create_future()


# ---------------------------------------------------------------- producer (own process)

async def produce(host, port, token, rate, duration, producers, start_pipe):
    calls_per_second = rate / EVENTS_PER_CALL
    interval = producers / calls_per_second
    stats = {"calls": 0, "errors": 0, "error_samples": []}
    call_ms = []

    async def new_session(controller, group_id):
        reply = await controller.call(
            "initiate", groupId=group_id, fileName=f"bench-{time.monotonic_ns()}.bin",
            size=10_000 * 5 * MIB, partSize=5 * MIB)
        return reply["session"]["id"], reply["totalParts"]

    workers = []
    for w in range(producers):
        controller = Controller(host, port, token)
        group = await controller.call("createGroup", name=f"sse-bench-{w}")
        session, parts = await new_session(controller, group["group"]["id"])
        workers.append([controller, group["group"]["id"], session, parts, 0])

    async def run(worker, offset, t0, stop):
        controller, group_id, session, parts, used = worker
        next_at = t0 + offset
        while True:
            now = time.monotonic()
            if now >= stop:
                break
            if next_at > now:
                await asyncio.sleep(next_at - now)
            elif now - next_at > 1.0:
                next_at = now  # far behind: do not burst to catch up
            next_at += interval
            if used == parts:
                session, parts = await new_session(controller, group_id)
                used = 0
            used += 1
            try:
                t_call = time.perf_counter()
                await controller.call("partUploaded", sessionId=session, partNumber=used, etag=f'"{used:032x}"', size=5 * MIB)
                call_ms.append((time.perf_counter() - t_call) * 1000)
                stats["calls"] += 1
            except (HTTPError, OSError, asyncio.IncompleteReadError, ValueError) as error:
                stats["errors"] += 1
                if len(stats["error_samples"]) < 5:
                    stats["error_samples"].append(str(error))
                controller.conn.close()

    start_pipe.send(time.time())
    start_pipe.recv()  # the subscribers noted where the log stands
    t0 = time.monotonic()
    stop = t0 + duration
    await asyncio.gather(*(run(w, i * interval / producers, t0, stop) for i, w in enumerate(workers)))
    stats["elapsed"] = time.monotonic() - t0
    stats["cpu_seconds"] = cpu_seconds()
    call_ms.sort()
    stats["call_p50_ms"], stats["call_p99_ms"] = percentile(call_ms, 50), percentile(call_ms, 99)
    for w in workers:
        w[0].conn.close()
    return stats


def producer_main(host, port, token, rate, duration, producers, pipe):
    try:
        stats = asyncio.run(produce(host, port, token, rate, duration, producers, pipe))
    except Exception as error:  # report, never hang the parent
        stats = {"fatal": repr(error)}
    pipe.send(stats)


# ---------------------------------------------------------------- fan-out

async def fanout(args):
    hub = Hub(args.host, args.port, args.token)
    subscribers = [Subscriber(hub, i, i < args.sample) for i in range(args.subscribers)]
    await asyncio.gather(*(s.connect() for s in subscribers))
    await asyncio.wait_for(asyncio.gather(*(s.connected for s in subscribers)), 20)

    context = multiprocessing.get_context("spawn")  # a forked child would inherit the running loop
    parent, child = context.Pipe()
    producer = context.Process(
        target=producer_main,
        args=(args.host, args.port, args.token, args.rate, args.duration, args.producers, child), daemon=True)
    producer.start()
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, parent.recv)  # sessions are set up
    await asyncio.sleep(1.0)  # let the set-up events reach everyone
    start_id = max((s.last_id or 0) for s in subscribers)
    for s in subscribers:
        s.latencies.clear()
    cpu0, server0 = cpu_seconds(), proc_cpu_seconds(args.server_pid)
    hub.window_start = time.time()
    parent.send("go")
    stats = await loop.run_in_executor(None, parent.recv)
    hub.window_end = time.time()
    cpu1, server1 = cpu_seconds(), proc_cpu_seconds(args.server_pid)
    producer.join(5)

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
    produced = final_id - start_id
    return {
        "subscribers": args.subscribers,
        "target_rate": args.rate,
        "window_s": round(window, 3),
        "producer": stats,
        "produced_events": produced,
        "produced_rate": produced / stats.get("elapsed", window) if stats.get("elapsed") else produced / window,
        "latency_events": len(latencies),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p99_ms": percentile(latencies, 99),
        "latency_max_ms": latencies[-1] if latencies else None,
        "per_subscriber_rate_min": per_subscriber[0],
        "per_subscriber_rate_median": percentile(per_subscriber, 50),
        "gaps": sum(s.gaps for s in subscribers),
        "duplicates": sum(s.duplicates for s in subscribers),
        "reconnects": sum(s.reconnects for s in subscribers),
        "behind_at_end": behind,
        "client_cpu_share": (cpu1 - cpu0) / window,
        "server_cpu_share": (server1 - server0) / window if server0 is not None and server1 is not None else None,
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
    parser.add_argument("mode", choices=["fanout", "replay"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--server-pid", type=int, default=0)
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--sample", type=int, default=10, help="subscribers that time every event")
    parser.add_argument("--rate", type=float, default=5000, help="events/s to produce")
    parser.add_argument("--producers", type=int, default=16, help="producer connections")
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--drain", type=float, default=5)
    parser.add_argument("--after", type=int, default=0, help="replay: Last-Event-ID")
    parser.add_argument("--count", type=int, default=100_000, help="replay: events to read")
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()
    result = asyncio.run(fanout(args) if args.mode == "fanout" else replay(args))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
