#!/usr/bin/env python3
"""Issue 18's batch benchmark, run on demand (not by ctest):

    tests/bench/bench_batch.py [--build build] [--requests 1000] [--concurrency 8] [--delay-ms 20]

A loopback HTTP/1.1 server (asyncio, keep-alive, in a process of its own) answers every POST after
--delay-ms with a small text-classification answer. Against it, in the same run:
  - idesk-bench-batch: the requests through BatchRunner (the code behind `inference-desk-cli batch`);
  - a Python asyncio client with the same concurrency (standard library only: asyncio streams speaking raw
    HTTP/1.1 over one keep-alive connection per worker; aiohttp is not a Debian package here).
Prints the wall times, the ideal (requests x delay / concurrency; target <= 1.1x) and our time against
the asyncio client's (target: faster).
"""
import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ANSWER = b'[{"label":"POSITIVE","score":0.9},{"label":"NEGATIVE","score":0.1}]'


async def read_message(reader):
    """One HTTP/1.1 request or response with a Content-Length: (head, body)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return head, (await reader.readexactly(length) if length else b"")


async def serve(port_file, delay):
    async def handle(reader, writer):
        try:
            while True:
                await read_message(reader)
                await asyncio.sleep(delay)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                             % (len(ANSWER), ANSWER))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
    port = server.sockets[0].getsockname()[1]
    with open(port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(port_file + ".tmp", port_file)
    async with server:
        await server.serve_forever()


async def asyncio_client(port, requests, concurrency):
    queue = asyncio.Queue()
    for i in range(requests):
        queue.put_nowait(i)
    ok = 0

    async def worker():
        nonlocal ok
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while True:
            try:
                i = queue.get_nowait()
            except asyncio.QueueEmpty:
                break
            body = json.dumps({"inputs": "input %d" % i}).encode()
            writer.write(b"POST /models/org/m HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\n\r\n%s" % (port, len(body), body))
            await writer.drain()
            head, answer = await read_message(reader)
            json.loads(answer)
            if head.startswith(b"HTTP/1.1 200"):
                ok += 1
        writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - t0, ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--delay-ms", type=float, default=20)
    ap.add_argument("--serve", help=argparse.SUPPRESS)  # internal: run the server, write its port here
    args = ap.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve, args.delay_ms / 1000.0))
        return 0

    exe = os.path.join(args.build, "bin", "idesk-bench-batch")
    if not os.path.exists(exe):
        sys.exit("build idesk-bench-batch first: cmake --build %s --target idesk-bench-batch" % args.build)
    with tempfile.TemporaryDirectory() as tmp:
        port_file = os.path.join(tmp, "port")
        server = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve", port_file,
                                   "--delay-ms", str(args.delay_ms)])
        try:
            for _ in range(200):
                if os.path.exists(port_file):
                    break
                time.sleep(0.05)
            port = int(open(port_file).read())
            url = "http://127.0.0.1:%d" % port
            ideal = args.requests * args.delay_ms / 1000.0 / args.concurrency
            out = subprocess.run([exe, url, str(args.requests), str(args.concurrency)], check=True,
                                 capture_output=True, text=True).stdout
            ours = json.loads(out)
            ours_s = ours["wall_ms"] / 1000.0
            py_s, py_ok = asyncio.run(asyncio_client(port, args.requests, args.concurrency))
        finally:
            server.terminate()
            server.wait()
    print("batch: %d requests, concurrency %d, server answers after %g ms" %
          (args.requests, args.concurrency, args.delay_ms))
    print("  ideal                : %.3f s" % ideal)
    print("  BatchRunner          : %.3f s  (%d ok, %d failed)  %.3fx ideal (target <= 1.1x)  %s" %
          (ours_s, ours["ok"], ours["failed"], ours_s / ideal, "PASS" if ours_s <= 1.1 * ideal else "FAIL"))
    print("  python asyncio client: %.3f s  (%d ok)  %.3fx ideal" % (py_s, py_ok, py_s / ideal))
    print("  BatchRunner / asyncio: %.3fx (target < 1: faster)  %s" %
          (ours_s / py_s, "PASS" if ours_s < py_s else "FAIL"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
