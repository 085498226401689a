#!/usr/bin/env python3
"""Loopback replay server for the Inference Desk tests (python3 standard library + the openssl tool).

    python3 replay_server.py --data DIR [--tls] [--port 0] --ready-file FILE [--max-seconds 900]

Binds 127.0.0.1 only. Once listening it writes FILE (through FILE.tmp and a rename) holding
    {"port": N, "url": "http(s)://127.0.0.1:N", "ca": "<CA PEM path>" | null}
With --tls it makes a throw-away test CA and a server certificate for 127.0.0.1 and localhost with
`openssl` in a temporary directory at every start; nothing is kept after exit.

It exits on SIGTERM/SIGINT, when its parent process dies, and after --max-seconds in any case.

Control API (JSON), under /__replay/:
  POST   /__replay/queue     body [entry, ...]: answers for the next non-control requests, in order.
  GET    /__replay/requests  every non-control request received so far (see RequestLog below).
  DELETE /__replay/requests  clears that log.
  POST   /__replay/reset     clears the queue and the log.

An entry is either a recording, {"file": "<task>/<name>.json"} (relative to --data), or a synthetic
answer, {"status": 200, "headers": {...}, "body": <string or JSON> | "body_base64": "..."}; a JSON
(non-string) "body" is serialised compactly and defaults to Content-Type application/json.
Optional behaviours on either kind:
  "delay_first_byte_ms": N   wait N ms before the status line (stops early if the client goes away)
  "stall_after_bytes": N     send the headers and N body bytes, then hang until the client goes away
                             (60 s at most)
  "chunk_delay_ms": N, "chunk_size": M   send the body M bytes at a time, N ms apart (SSE streams)
  "truncate_after_bytes": N  advertise the full Content-Length, send N body bytes, close
  "redirect": "<absolute url>" with "status" 302/307/308 (302 by default): Location, empty body
  "body_repeat": N           the body repeated N times (large answers without a large queue call)
  "close": true              close the connection after this answer
  "omit_content_length": true   no Content-Length: the body ends when the connection closes
  "match_body": "text"       this entry answers only a request whose body holds `text` (UTF-8); a request
                             takes the first queued entry that matches it (entries without match_body
                             match any request)
  "match_path": "/x"         likewise, for a request whose path ends with "/x"

Each logged request also carries "received_at" and "finished_at" (time.monotonic() seconds: body read,
answer done) and "in_flight" (non-control requests being handled at that moment, this one included).

A non-control request with an empty queue gets 599 and a JSON error naming the method and path.
Every answer carries Content-Length, so HTTP/1.1 keep-alive works (QNetworkAccessManager reuses
connections); a truncated or stalled answer closes its connection.
"""

import argparse
import base64
import collections
import json
import os
import select
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

CONTROL_PREFIX = "/__replay/"
STALL_LIMIT_SECONDS = 60.0

# Response headers of a recording that describe the recorded connection or encoding, not the answer.
DROPPED_RESPONSE_HEADERS = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
    "te", "trailer", "trailers", "transfer-encoding", "upgrade", "content-length", "content-encoding",
}


class ReplayState:
    """The queue of answers and the log of received requests, shared by the handler threads."""

    def __init__(self, data_dir):
        self.data_dir = os.path.realpath(data_dir)
        self.lock = threading.Lock()
        self.queue = collections.deque()
        self.log = []
        self.in_flight = 0

    def take_entry(self, body, path):
        """The first queued entry whose match_body / match_path (if any) fit; None when none. Holds the lock."""
        text = body.decode("utf-8", "replace")
        for i, entry in enumerate(self.queue):
            match = entry.get("match_body")
            match_path = entry.get("match_path")
            if (match is None or match in text) and (match_path is None or path.endswith(match_path)):
                del self.queue[i]
                return entry
        return None

    def recording_path(self, name):
        path = os.path.realpath(os.path.join(self.data_dir, name))
        if not path.startswith(self.data_dir + os.sep):
            raise ValueError("recording %r is outside the data directory" % name)
        if not os.path.isfile(path):
            raise ValueError("no recording %r under %s" % (name, self.data_dir))
        return path


def compact_json(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def answer_from_recording(state, name):
    """(status, [(header, value)], body bytes) of a recording's response."""
    with open(state.recording_path(name), "r", encoding="utf-8") as f:
        recording = json.load(f)
    response = recording.get("response") or {}
    status = int(response.get("status", 200))
    headers = [(k, str(v)) for k, v in (response.get("headers") or {}).items()
               if k.lower() not in DROPPED_RESPONSE_HEADERS]
    if response.get("body_base64") is not None:
        body = base64.b64decode(response["body_base64"])
    elif response.get("body_text") is not None:
        body = response["body_text"].encode("utf-8")
    elif "body_json" in response and response["body_json"] is not None:
        body = compact_json(response["body_json"])
    else:
        body = b""
    return status, headers, body


def answer_from_entry(state, entry):
    if "file" in entry:
        status, headers, body = answer_from_recording(state, entry["file"])
        if "status" in entry:
            status = int(entry["status"])
    elif "redirect" in entry:
        status = int(entry.get("status", 302))
        headers = [(k, str(v)) for k, v in (entry.get("headers") or {}).items()]
        headers.append(("Location", entry["redirect"]))
        body = b""
    else:
        status = int(entry.get("status", 200))
        headers = [(k, str(v)) for k, v in (entry.get("headers") or {}).items()]
        if entry.get("body_base64") is not None:
            body = base64.b64decode(entry["body_base64"])
        elif isinstance(entry.get("body"), str):
            body = entry["body"].encode("utf-8")
        elif "body" in entry:
            body = compact_json(entry["body"])
            if not any(k.lower() == "content-type" for k, _ in headers):
                headers.append(("Content-Type", "application/json"))
        else:
            body = b""
    repeat = int(entry.get("body_repeat", 1))
    if repeat > 1:
        body = body * repeat
    return status, headers, body


class ReplayHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "idesk-replay/1"

    def log_message(self, fmt, *args):  # quiet unless --verbose
        if self.server.verbose:
            sys.stderr.write("replay: " + (fmt % args) + "\n")

    # Every method goes through handle_any().
    def do_GET(self):
        self.handle_any()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    # --- reading the request ---------------------------------------------------------------------
    def read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline()
                size = int(size_line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    # --- writing ---------------------------------------------------------------------------------
    def send_simple(self, status, value, close=False):
        body = compact_json(value)
        self.send_response_only(status)
        self.send_header("Date", formatdate(usegmt=True))
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def client_gone_within(self, seconds):
        """Waits up to `seconds`; True as soon as the client closes its side of the connection."""
        sock = self.connection
        deadline = time.monotonic() + max(0.0, seconds)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                readable, _, _ = select.select([sock], [], [], min(remaining, 0.05))
                if readable:
                    data = sock.recv(4096)
                    if not data:
                        return True
            except ssl.SSLWantReadError:
                continue
            except (OSError, ValueError):
                return True

    # --- dispatch --------------------------------------------------------------------------------
    def handle_any(self):
        try:
            body = self.read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        split = urlsplit(self.path)
        if split.path.startswith(CONTROL_PREFIX):
            self.handle_control(split.path[len(CONTROL_PREFIX):], body)
            return

        entry_log = {
            "method": self.command,
            "path": split.path,
            "query": split.query,
            "headers": self.lowercased_headers(),
            "body_base64": base64.b64encode(body).decode("ascii"),
            "peer": "%s:%d" % self.client_address[:2],  # same peer port: the connection was reused
            # How the answer went, filled in while it is sent:
            "response_status": None,
            "response_bytes_sent": 0,    # body bytes written to the socket
            "response_body_size": None,  # body bytes the answer has in full
            "response_complete": False,  # the whole body was written
            "response_done": False,      # the server is finished with this answer
            "client_gone": False,        # the client closed the connection before the end
            "received_at": time.monotonic(),
            "finished_at": None,
        }
        state = self.server.state
        with state.lock:
            state.in_flight += 1
            entry_log["in_flight"] = state.in_flight
            state.log.append(entry_log)
            entry = state.take_entry(body, split.path)
        try:
            if entry is None:
                entry_log["response_status"] = 599
                self.send_simple(599, {"error": "replay server: no answer queued for %s %s"
                                       % (self.command, split.path)})
            else:
                self.send_entry(entry, entry_log)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            entry_log["client_gone"] = True
            self.close_connection = True
        finally:
            with state.lock:
                state.in_flight -= 1
            entry_log["finished_at"] = time.monotonic()
            entry_log["response_done"] = True

    def lowercased_headers(self):
        headers = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = headers[key] + ", " + value if key in headers else value
        return headers

    def send_entry(self, entry, entry_log):
        try:
            status, headers, body = answer_from_entry(self.server.state, entry)
        except (ValueError, OSError, KeyError, TypeError) as e:
            entry_log["response_status"] = 598
            self.send_simple(598, {"error": "replay server: bad queue entry: %s" % e})
            return
        entry_log["response_status"] = status
        entry_log["response_body_size"] = len(body)

        delay = float(entry.get("delay_first_byte_ms", 0)) / 1000.0
        if delay > 0 and self.client_gone_within(delay):
            entry_log["client_gone"] = True
            self.close_connection = True
            return

        truncate = entry.get("truncate_after_bytes")
        stall = entry.get("stall_after_bytes")
        omit_length = bool(entry.get("omit_content_length"))
        close = bool(entry.get("close")) or truncate is not None or stall is not None or omit_length

        self.send_response_only(status)
        if not any(k.lower() == "date" for k, _ in headers):
            self.send_header("Date", formatdate(usegmt=True))
        for name, value in headers:
            self.send_header(name, value)
        if not omit_length:
            self.send_header("Content-Length", str(len(body)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.flush()
        if self.command == "HEAD":
            entry_log["response_complete"] = True
            return

        limit = len(body)
        if truncate is not None:
            limit = min(limit, int(truncate))
        if stall is not None:
            limit = min(limit, int(stall))
        chunk_size = int(entry.get("chunk_size", 0)) or 65536
        chunk_delay = float(entry.get("chunk_delay_ms", 0)) / 1000.0

        sent = 0
        while sent < limit:
            if sent > 0 and chunk_delay > 0 and self.client_gone_within(chunk_delay):
                entry_log["client_gone"] = True
                self.close_connection = True
                return
            piece = body[sent:min(limit, sent + chunk_size)]
            self.wfile.write(piece)
            self.wfile.flush()
            sent += len(piece)
            entry_log["response_bytes_sent"] = sent
        entry_log["response_complete"] = sent == len(body)

        if stall is not None and sent < len(body):
            if self.client_gone_within(STALL_LIMIT_SECONDS):
                entry_log["client_gone"] = True
        if close:
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_control(self, command, body):
        state = self.server.state
        if command == "queue" and self.command == "POST":
            try:
                entries = json.loads(body.decode("utf-8") or "[]")
                if isinstance(entries, dict):
                    entries = [entries]
                if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                    raise ValueError("the body must be a JSON array of objects")
                for e in entries:
                    if "file" in e:
                        state.recording_path(e["file"])
            except ValueError as e:
                self.send_simple(400, {"error": "replay server: bad queue: %s" % e})
                return
            with state.lock:
                state.queue.extend(entries)
                queued = len(state.queue)
            self.send_simple(200, {"queued": queued})
        elif command == "requests" and self.command == "GET":
            with state.lock:
                log = [dict(e) for e in state.log]
            self.send_simple(200, log)
        elif command == "requests" and self.command == "DELETE":
            with state.lock:
                state.log.clear()
            self.send_simple(200, {"cleared": True})
        elif command == "reset" and self.command == "POST":
            with state.lock:
                state.log.clear()
                state.queue.clear()
            self.send_simple(200, {"reset": True})
        else:
            self.send_simple(404, {"error": "replay server: unknown control call %s %s%s"
                                   % (self.command, CONTROL_PREFIX, command)})


class ReplayServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, state, tls_context, verbose):
        self.state = state
        self.tls_context = tls_context
        self.verbose = verbose
        super().__init__(address, ReplayHandler)

    def finish_request(self, request, client_address):
        # Runs in the connection's own thread, so a slow or failed TLS handshake blocks nobody else.
        if self.tls_context is not None:
            try:
                request.settimeout(30)
                request = self.tls_context.wrap_socket(request, server_side=True)
                request.settimeout(None)
            except (ssl.SSLError, OSError) as e:
                if self.verbose:
                    sys.stderr.write("replay: TLS handshake failed: %s\n" % e)
                return
        try:
            super().finish_request(request, client_address)
        finally:
            if request is not None and self.tls_context is not None:
                try:
                    request.close()
                except OSError:
                    pass

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)


def run_openssl(args, cwd):
    result = subprocess.run(["openssl"] + args, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, check=False)
    if result.returncode != 0:
        raise RuntimeError("openssl %s failed: %s" % (" ".join(args), result.stderr.decode(errors="replace")))


def make_certificates(directory):
    """A throw-away CA and a server certificate for 127.0.0.1 and localhost, signed by it."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run_openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                                         "-subj", "/CN=Inference Desk replay test CA",
                                         "-addext", "basicConstraints=critical,CA:TRUE",
                                         "-addext", "keyUsage=critical,keyCertSign,cRLSign"], directory)
    run_openssl(["req", "-new"] + ec + ["-keyout", "server.key", "-out", "server.csr",
                                        "-subj", "/CN=127.0.0.1"], directory)
    with open(os.path.join(directory, "server.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                "basicConstraints=CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n")
    run_openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                 "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext"], directory)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(directory, "server.pem"), os.path.join(directory, "server.key"))
    return context, os.path.join(directory, "ca.pem")


def write_ready_file(path, info):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(info, f)
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description="Loopback replay server for the Inference Desk tests.")
    parser.add_argument("--data", required=True, help="directory of recordings (tests/data/recordings)")
    parser.add_argument("--tls", action="store_true", help="serve HTTPS with a throw-away test CA")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--ready-file", required=True, help="where to write the JSON ready file")
    parser.add_argument("--max-seconds", type=float, default=900, help="exit after this long in any case")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args()

    if not os.path.isdir(args.data):
        sys.stderr.write("replay_server: --data %s is not a directory\n" % args.data)
        return 2

    workdir = tempfile.mkdtemp(prefix="idesk-replay-")
    parent = os.getppid()

    def leave(code=0):
        shutil.rmtree(workdir, ignore_errors=True)
        os._exit(code)

    signal.signal(signal.SIGTERM, lambda *_: leave(0))
    signal.signal(signal.SIGINT, lambda *_: leave(0))

    def watchdog():
        deadline = time.monotonic() + args.max_seconds
        while time.monotonic() < deadline:
            if os.getppid() != parent:
                leave(0)
            time.sleep(0.2)
        sys.stderr.write("replay_server: --max-seconds %g reached, exiting\n" % args.max_seconds)
        leave(0)

    threading.Thread(target=watchdog, daemon=True).start()

    try:
        tls_context, ca = make_certificates(workdir) if args.tls else (None, None)
        server = ReplayServer(("127.0.0.1", args.port), ReplayState(args.data), tls_context, args.verbose)
    except (RuntimeError, OSError, ssl.SSLError) as e:
        sys.stderr.write("replay_server: cannot start: %s\n" % e)
        leave(1)

    port = server.server_address[1]
    scheme = "https" if args.tls else "http"
    write_ready_file(args.ready_file, {"port": port, "url": "%s://127.0.0.1:%d" % (scheme, port), "ca": ca})
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        leave(0)


if __name__ == "__main__":
    sys.exit(main())
