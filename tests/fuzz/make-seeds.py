#!/usr/bin/env python3
"""make-seeds.py SOURCE_DIR OUT_DIR: seed corpora for the fuzz targets, one folder per target.

From tests/data/recordings (real Hugging Face answers, the same files as ../shared/recordings): SSE
streams, whole chat answers, every task's 200 answer with its request's inputs (fuzz_result_shape's
"task\\ncontent-type\\ninputs\\nbody" form), JSON bodies, and a preset and a saved result per recorded
request. From tests/data/flows: the Kestra flows. Plus the hand-written inputs of tests/fuzz/seeds/<target>/.
Bodies over 256 KB are left out (libFuzzer works on small inputs)."""
import base64
import glob
import hashlib
import json
import os
import shutil
import sys

MAX = 256 * 1024


def main():
    src, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    corpora = {}

    def add(target, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if len(data) > MAX:
            return
        folder = os.path.join(out, target)
        os.makedirs(folder, exist_ok=True)
        name = hashlib.sha1(data).hexdigest()
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
        corpora[target] = corpora.get(target, 0) + 1

    for path in sorted(glob.glob(os.path.join(src, "tests/data/recordings/*/*.json"))):
        with open(path, encoding="utf-8") as f:
            rec = json.load(f)
        if rec.get("kind") != "inference":
            continue
        task = rec.get("task", "")
        req, resp = rec.get("request", {}), rec.get("response", {})
        headers = {k.lower(): v for k, v in resp.get("headers", {}).items()}
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        if "body_json" in resp:
            body = json.dumps(resp["body_json"]).encode()
        elif "body_text" in resp:
            body = resp["body_text"].encode("utf-8")
        elif "body_base64" in resp:
            body = base64.b64decode(resp["body_base64"])
        else:
            body = b""
        req_json = req.get("body_json") if isinstance(req.get("body_json"), dict) else {}
        inputs = req_json.get("inputs", req_json.get("messages", ""))
        status = resp.get("status", 0)

        if ctype == "text/event-stream":
            add("fuzz_sse", bytes([15]) + body)
            add("fuzz_sse", bytes([0]) + body[:4096])
            add("fuzz_chat_stream", b"stream\n" + body)
            add("fuzz_chat_stream", b"s\n" + body[:4096])
        elif "body_json" in resp:
            add("fuzz_pretty", body)
            add("fuzz_pretty", json.dumps(resp["body_json"], indent=1).encode())
            if task in ("conversational", "conversational-legacy", "text-generation"):
                add("fuzz_chat_stream", b"json\n" + body)
        if status == 200:
            add("fuzz_result_shape", b"%s\n%s\n%s\n" % (task.encode(), ctype.encode(),
                                                        json.dumps(inputs).encode()) + body)

        params = req_json.get("parameters", {})
        request = {"endpoint": "https://router.huggingface.co/hf-inference/models", "model": "org/model",
                   "task": task, "inputs": inputs, "parameters": params if isinstance(params, dict) else {},
                   "stream": bool(req_json.get("stream", False))}
        add("fuzz_preset", json.dumps({
            "format": "inference-desk-preset", "version": 1, "name": os.path.basename(path)[:-5],
            "created": "2026-01-01T00:00:00.000Z", "modified": "2026-01-01T00:00:00.000Z",
            "request": dict(request, useCache=True, waitForModel=False,
                            options={"readTimeout": "PT1M", "maxContentLength": 10485760})}, indent=2))
        text = body.decode("utf-8", "replace") if ctype.startswith(("application/json", "text/")) else None
        response = {"outcome": "success" if status < 400 else "http-error", "status": status,
                    "reason": resp.get("status_message", ""), "url": req.get("url", ""),
                    "headers": [[k, v] for k, v in resp.get("headers", {}).items()],
                    "content_type": ctype, "charset": "utf-8", "error_message": "", "server_message": ""}
        if text is not None:
            response["body_text"] = text
        else:
            response["body_base64"] = base64.b64encode(body).decode()
        add("fuzz_saved_result", json.dumps({
            "format": "inference-desk-result", "version": 1, "app_version": "0.1.0",
            "saved_at": "2026-01-01T00:00:00.000Z",
            "request": dict(request, use_cache=True, wait_for_model=False, options={}),
            "response": response,
            "timing": {"elapsed_ms": 120, "first_byte_ms": 80, "attempts": 1}}, indent=2))

    for path in sorted(glob.glob(os.path.join(src, "tests/data/flows/*.yaml"))):
        with open(path, "rb") as f:
            add("fuzz_kestra_flow", f.read())
    for path in sorted(glob.glob(os.path.join(src, "tests/fuzz/seeds/*/*"))):
        with open(path, "rb") as f:
            add(os.path.basename(os.path.dirname(path)), f.read())
    print("fuzz seeds: " + ", ".join("%s %d" % kv for kv in sorted(corpora.items())))


if __name__ == "__main__":
    main()
