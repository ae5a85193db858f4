#!/usr/bin/env python3
"""Load for Benchmarks/controller.sh (standard library only). Prints one JSON object on stdout.

SESSIONS multipart uploads run at once from this one process, each on its own kept-alive
connection: createGroup, initiate (SIZE bytes in PART_SIZE parts), signParts for every part, a
PUT of each part to its signed URL, complete, status. Every session is started together (after
all connections are open) and the whole run is bounded by TIMEOUT seconds; whatever did not
finish counts as an error. Reports latency per action (p50, p99, max), errors per action, and
the wall time.
"""

import argparse
import asyncio
import json
import time
from urllib.parse import urlsplit

from loadhttp import Connection, Controller, HTTPError, percentile

ACTIONS = ["createGroup", "initiate", "signParts", "PUT part", "complete", "status"]


async def session(index, controller, put_conn, args, payloads, start, timings, errors):
    def record(action, t0):
        timings[action].append((time.perf_counter() - t0) * 1000)

    action = "connect"
    try:
        await start.wait()
        action = "createGroup"
        t0 = time.perf_counter()
        group = (await controller.call("createGroup", name=f"controller-bench-{index}"))["group"]["id"]
        record(action, t0)
        action = "initiate"
        t0 = time.perf_counter()
        initiated = await controller.call(
            "initiate", groupId=group, fileName=f"file-{index}.bin", size=args.size, partSize=args.part_size)
        record(action, t0)
        if initiated.get("method") != "multipart":
            raise ValueError(f"expected a multipart plan, got {initiated.get('method')}")
        session_id = initiated["session"]["id"]
        action = "signParts"
        t0 = time.perf_counter()
        signed = await controller.call(
            "signParts", sessionId=session_id, partNumbers=list(range(1, initiated["totalParts"] + 1)))
        record(action, t0)
        action = "PUT part"
        for part in signed["parts"]:
            url = urlsplit(part["url"])
            t0 = time.perf_counter()
            status, body = await put_conn.request(
                "PUT", f"{url.path}?{url.query}", payloads[part["size"]],
                {"Content-Type": "application/octet-stream"})
            if not 200 <= status < 300:
                raise HTTPError(status, body)
            record(action, t0)
        action = "complete"
        t0 = time.perf_counter()
        done = await controller.call("complete", sessionId=session_id)
        record(action, t0)
        if done["session"]["status"] not in ("UPLOADED", "PROCESSING", "COMPLETED"):
            raise ValueError(f"complete left the session {done['session']['status']}")
        action = "status"
        t0 = time.perf_counter()
        await controller.call("status", sessionId=session_id)
        record(action, t0)
    except (HTTPError, OSError, asyncio.IncompleteReadError, ValueError, KeyError) as error:
        errors.setdefault(action, []).append(str(error)[:200])
    finally:
        controller.conn.close()
        put_conn.close()


async def run(args):
    base = urlsplit(args.url)
    host, port = base.hostname, base.port
    timings = {action: [] for action in ACTIONS}
    errors = {}
    start = asyncio.Event()
    controllers = [Controller(host, port, args.token) for _ in range(args.sessions)]
    put_conns = [Connection(host, port) for _ in range(args.sessions)]
    # Open every connection first, so the sessions really run at once.
    opened = await asyncio.gather(
        *(c.conn.open() for c in controllers), *(c.open() for c in put_conns), return_exceptions=True)
    failed_opens = [o for o in opened if isinstance(o, Exception)]
    part_sizes = {args.part_size, args.size - (args.size - 1) // args.part_size * args.part_size}
    payloads = {size: bytes(size) for size in part_sizes}
    tasks = [asyncio.create_task(session(i, controllers[i], put_conns[i], args, payloads, start, timings, errors))
             for i in range(args.sessions)]
    t0 = time.perf_counter()
    start.set()
    done, pending = await asyncio.wait(tasks, timeout=args.timeout)
    wall = time.perf_counter() - t0
    for task in pending:
        task.cancel()
    if pending:
        errors.setdefault("timeout", []).extend(["unfinished"] * len(pending))
    report = {"sessions": args.sessions, "size": args.size, "part_size": args.part_size, "wall_s": wall,
              "failed_connects": len(failed_opens), "actions": {}}
    for action in ACTIONS:
        values = sorted(timings[action])
        report["actions"][action] = {
            "count": len(values), "p50_ms": percentile(values, 50), "p99_ms": percentile(values, 99),
            "max_ms": values[-1] if values else None, "errors": len(errors.get(action, []))}
    report["errors"] = sum(len(v) for v in errors.values()) + len(failed_opens)
    report["error_samples"] = {k: v[:3] for k, v in errors.items()}
    report["completed_sessions"] = len(timings["status"])
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--token", required=True)
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--size", type=int, default=5 * (1 << 20) + 1024)
    parser.add_argument("--part-size", type=int, default=5 * (1 << 20))
    parser.add_argument("--timeout", type=float, default=110)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
