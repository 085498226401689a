#!/usr/bin/env python3
"""Issue 18's batch benchmark, run on demand (not by ctest):

    tests/bench/bench_batch.py [--build build] [--requests 1000] [--concurrency 8] [--delay-ms 20]

A loopback HTTP/1.1 server (keep-alive, a thread per connection, in a process of its own) answers every POST
after --delay-ms with a small text-classification answer. It sleeps with time.sleep, which overshoots by about
0.1 ms; an asyncio server, used before, overshot by 0.5-0.9 ms per answer (its event loop rounds timeouts up
to the millisecond), which both clients paid and which left 20 ms answers taking 21. The server's own
overshoot is printed for each client. Against it, in the same run:
  - idesk-bench-batch: the requests through BatchRunner (the code behind `inference-desk-cli batch`);
  - idesk-bench-batch --bare: the same requests through bare QNetworkAccessManagers, nothing of ours around
    them: the floor Qt's HTTP stack sets, which tells BatchRunner's own cost from Qt's;
  - a Python asyncio client with the same concurrency (standard library only: asyncio streams speaking raw
    HTTP/1.1 over one keep-alive connection per worker; aiohttp is not a Debian package here).
Prints the wall times, the ideal (requests x delay / concurrency; target <= 1.1x) and our time against
the asyncio client's (target: faster).
"""
import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

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


def serve(port_file, delay):
    """Thread per connection; GET /stats answers {"answers", "overshoot_ms_median", "overshoot_ms_mean"} for
    the POSTs since the previous GET /stats."""
    lock = threading.Lock()
    overshoots = []

    def handle(conn):
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        reader = conn.makefile("rb")
        try:
            while True:
                request = reader.readline()
                if not request:
                    return
                length = 0
                while True:
                    line = reader.readline()
                    if line in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                if length:
                    reader.read(length)
                if request.startswith(b"GET /stats"):
                    with lock:
                        done = sorted(overshoots)
                        overshoots.clear()
                    body = json.dumps({"answers": len(done),
                                       "overshoot_ms_median": done[len(done) // 2] * 1e3 if done else 0,
                                       "overshoot_ms_mean": statistics.mean(done) * 1e3 if done else 0}).encode()
                else:
                    t0 = time.perf_counter()
                    time.sleep(delay)
                    late = time.perf_counter() - t0 - delay
                    with lock:
                        overshoots.append(late)
                    body = ANSWER
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                             % (len(body), body))
        except (ConnectionError, OSError):
            pass
        finally:
            conn.close()

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(256)
    port = listener.getsockname()[1]
    with open(port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(port_file + ".tmp", port_file)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


def server_stats(port):
    with urllib.request.urlopen("http://127.0.0.1:%d/stats" % port) as r:
        return json.loads(r.read())


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
        serve(args.serve, args.delay_ms / 1000.0)
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
            ours_server = server_stats(port)
            bare = json.loads(subprocess.run([exe, "--bare", url, str(args.requests), str(args.concurrency)],
                                             check=True, capture_output=True, text=True).stdout)
            bare_s = bare["wall_ms"] / 1000.0
            server_stats(port)
            py_s, py_ok = asyncio.run(asyncio_client(port, args.requests, args.concurrency))
            py_server = server_stats(port)
        finally:
            server.terminate()
            server.wait()
    print("batch: %d requests, concurrency %d, server answers after %g ms" %
          (args.requests, args.concurrency, args.delay_ms))
    print("  ideal                : %.3f s" % ideal)
    print("  BatchRunner          : %.3f s  (%d ok, %d failed)  %.3fx ideal (target <= 1.1x)  %s;  server "
          "overshoot median %.2f ms" % (ours_s, ours["ok"], ours["failed"], ours_s / ideal,
                                        "PASS" if ours_s <= 1.1 * ideal else "FAIL", ours_server["overshoot_ms_median"]))
    print("  bare Qt (QNAM only)  : %.3f s  (%d ok)  %.3fx ideal;  BatchRunner's own cost: %.3fx" %
          (bare_s, bare["ok"], bare_s / ideal, ours_s / bare_s))
    print("  python asyncio client: %.3f s  (%d ok)  %.3fx ideal;  server overshoot median %.2f ms" %
          (py_s, py_ok, py_s / ideal, py_server["overshoot_ms_median"]))
    print("  BatchRunner / asyncio: %.3fx (target < 1: faster)  %s;  bare Qt / asyncio: %.3fx" %
          (ours_s / py_s, "PASS" if ours_s < py_s else "FAIL", bare_s / py_s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
