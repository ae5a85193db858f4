#!/usr/bin/env python3
"""Set-up for Benchmarks/parts.sh (standard library only): creates SESSIONS multipart sessions of
PARTS parts of PART_SIZE bytes each, every session alone in its own group (so that only the
session's size differs between workloads, not the group's), signs every part, and writes a curl config file
(`-K`) with one PUT of PART_FILE per signed URL, session after session, part after part. Prints
one JSON object: sessions, parts, and the seconds the set-up took. The server must plan parts that
small (`upman serve --minimum-part-size` and a multipart threshold at or under PARTS × PART_SIZE).
"""

import argparse
import asyncio
import json
import time

from loadhttp import Controller


async def plan(args):
    controllers = [Controller(args.host, args.port, args.token) for _ in range(args.connections)]
    size = args.parts * args.part_size
    urls = [None] * args.sessions
    queue = asyncio.Queue()
    for index in range(args.sessions):
        queue.put_nowait(index)

    async def worker(controller):
        while not queue.empty():
            index = queue.get_nowait()
            group = (await controller.call("createGroup", name=f"parts-bench-{index}"))["group"]["id"]
            reply = await controller.call(
                "initiate", groupId=group, fileName=f"s{index:05d}.bin", size=size, partSize=args.part_size)
            if reply.get("method") != "multipart" or reply.get("totalParts") != args.parts:
                raise SystemExit(f"expected {args.parts} parts of {args.part_size} B, got {reply.get('method')} "
                                 f"{reply.get('totalParts')} × {reply.get('partSize')}: is --minimum-part-size set?")
            signed = await controller.call(
                "signParts", sessionId=reply["session"]["id"], partNumbers=list(range(1, args.parts + 1)))
            urls[index] = [part["url"] for part in sorted(signed["parts"], key=lambda p: p["partNumber"])]

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in controllers))
    for c in controllers:
        c.conn.close()
    with open(args.out, "w") as f:
        for session_urls in urls:
            for url in session_urls:
                f.write(f'url = "{url}"\nupload-file = "{args.part_file}"\noutput = "/dev/null"\n')
    return {"sessions": args.sessions, "parts": args.sessions * args.parts, "setup_s": time.perf_counter() - t0}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--sessions", type=int, required=True)
    parser.add_argument("--parts", type=int, required=True, help="parts per session")
    parser.add_argument("--part-size", type=int, default=4096)
    parser.add_argument("--part-file", required=True, help="the file every PUT sends (PART_SIZE bytes)")
    parser.add_argument("--connections", type=int, default=8, help="set-up connections")
    parser.add_argument("--out", required=True, help="the curl config file to write")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(plan(args))))


if __name__ == "__main__":
    main()
