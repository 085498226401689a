#!/usr/bin/env python3
"""Benchmarks for issue 2, run on demand (not by ctest). Each prints its figures and the ratio against a
baseline measured in the same run on the same machine:

  call   : `inference-desk-cli call` end to end against the loopback replay server vs `curl` sending the
           same request (median of 20 each); target <= 1.5x curl.
  pretty : pretty-printing a ~30 MB feature-extraction answer (2,000 x 768 floats) with the CLI's printer
           vs `jq .` on the same file (median of 5); target <= 0.5x jq's wall time, peak memory <= 4x the
           answer's size.

  startup: start-up to the first painted main window vs a minimal Qt Widgets window built in the same tree
           (a window with one label: any window that shows text pays for Qt's font database; the empty-widget
           figure is printed too)
           (median of 10, offscreen, and xcb under xvfb-run when present); target <= 2x; idle resident memory
           of the main window; target <= 80 MB.
  stall  : the longest stall of the UI event loop (10 ms timer probe) while the 30 MB feature-extraction
           answer is formatted and shown in the result pane; target <= 50 ms.
  chat   : issue 8's chat view benchmark (build/bin/idesk-bench-chat-view, also runnable alone): a 5,000-token
           chat stream replayed without delay into a ChatView, text only and with tool-call chunks
           (--tool-calls); first byte to text on screen, tokens/s (target >= 5,000), longest event-loop
           stall (target <= 50 ms).

usage: tests/bench/run-benchmarks.py [--build build] [call] [pretty] [startup] [stall] [chat]
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def timed(cmd, runs, **kw):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_kb(cmd):
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       check=True, text=True)
    return int(r.stderr.strip().splitlines()[-1])


def start_server(tmp):
    ready = os.path.join(tmp, "ready.json")
    proc = subprocess.Popen([sys.executable, os.path.join(TOP, "tests/support/replay_server.py"),
                             "--data", os.path.join(TOP, "tests/data/recordings"), "--ready-file", ready,
                             "--max-seconds", "600"])
    for _ in range(200):
        if os.path.exists(ready):
            break
        time.sleep(0.05)
    with open(ready) as f:
        return proc, json.load(f)["url"]


def control(url, path, body):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()


def bench_call(build, runs=20):
    cli = os.path.join(build, "bin/inference-desk-cli")
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_server(tmp)
        try:
            endpoint = url + "/hf-inference/models"
            model = "cardiffnlp/twitter-roberta-base-sentiment-latest"
            entry = {"file": "kestra/text-classification-0.json"}
            control(url, "/__replay/queue", [entry] * (2 * runs + 2))
            env = dict(os.environ, HF_TOKEN="hf_bench_token")
            curl = ["curl", "-sS", "-X", "POST", endpoint + "/" + model,
                    "-H", "Authorization: Bearer hf_bench_token", "-H", "Content-Type: application/json",
                    "-H", "x-use-cache: true", "-H", "x-wait-for-model: false",
                    "--data", '{"inputs":"I am hungry"}']
            ours = [cli, "call", "--model", model, "--inputs", "I am hungry", "--endpoint", endpoint,
                    "--format", "json"]
            subprocess.run(curl, check=True, stdout=subprocess.DEVNULL)  # warm caches
            subprocess.run(ours, check=True, stdout=subprocess.DEVNULL, env=env)
            t_curl = timed(curl, runs)
            t_ours = timed(ours, runs, env=env)
        finally:
            proc.terminate()
            proc.wait()
    ratio = t_ours / t_curl
    print(f"call   : curl median {t_curl*1000:.1f} ms, inference-desk-cli median {t_ours*1000:.1f} ms, "
          f"ratio {ratio:.2f}x (target <= 1.5x) {'OK' if ratio <= 1.5 else 'OVER'}")
    return ratio <= 1.5


def bench_pretty(build, runs=5):
    tool = os.path.join(build, "bin/idesk-bench-pretty")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "features.json")
        make_features(path)
        size = os.path.getsize(path)
        # Same output for both: check once that ours is valid, indented JSON equal to the input.
        out = subprocess.run([tool, path], check=True, stdout=subprocess.PIPE).stdout
        assert json.loads(out) == json.load(open(path)), "pretty output differs from the input"
        t_jq = timed(["jq", ".", path], runs)
        t_ours = timed([tool, path], runs)
        mem = peak_kb([tool, path]) * 1024
    ratio = t_ours / t_jq
    mem_ratio = mem / size
    print(f"pretty : answer {size/1e6:.1f} MB; jq median {t_jq*1000:.0f} ms, ours {t_ours*1000:.0f} ms, "
          f"ratio {ratio:.2f}x (target <= 0.5x) {'OK' if ratio <= 0.5 else 'OVER'}; peak memory "
          f"{mem/1e6:.1f} MB = {mem_ratio:.2f}x the answer (target <= 4x) {'OK' if mem_ratio <= 4 else 'OVER'}")
    return ratio <= 0.5 and mem_ratio <= 4


def make_features(path):
    rnd = random.Random(7)
    with open(path, "w") as f:
        f.write("[")
        for i in range(2000):
            if i:
                f.write(",")
            f.write("[" + ",".join(repr(rnd.uniform(-1, 1)) for _ in range(768)) + "]")
        f.write("]")


def bench_startup(build, runs=10):
    tool = os.path.join(build, "bin/idesk-bench-gui")
    ok = True
    platforms = [("offscreen", [], {"QT_QPA_PLATFORM": "offscreen"})]
    if subprocess.run(["which", "xvfb-run"], stdout=subprocess.DEVNULL).returncode == 0:
        platforms.append(("xcb", ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24"], {"QT_QPA_PLATFORM": "xcb"}))
    for name, prefix, extra in platforms:
        env = dict(os.environ, **extra)
        if prefix:
            # One X server for all runs: time the programs, not Xvfb's start.
            cmd = prefix + [sys.executable, __file__, "--build", build, "--startup-inner", name]
            r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, text=True)
            print(r.stdout, end="")
            ok &= r.returncode == 0
            continue
        ok &= startup_inner(build, name, runs, env)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    kb = int(subprocess.run([tool, "idle-memory"], env=env, check=True, stdout=subprocess.PIPE,
                            text=True).stdout.split()[0])
    print(f"memory : main window idle, resident {kb/1024:.1f} MB (target <= 80 MB) {'OK' if kb <= 80*1024 else 'OVER'}")
    return ok and kb <= 80 * 1024


def startup_inner(build, name, runs=10, env=None):
    tool = os.path.join(build, "bin/idesk-bench-gui")
    env = env or dict(os.environ)
    subprocess.run([tool, "startup-app"], env=env, check=True)  # warm caches
    t_empty = timed([tool, "startup-empty"], runs, env=env)
    t_min = timed([tool, "startup-minimal"], runs, env=env)
    t_app = timed([tool, "startup-app"], runs, env=env)
    ratio = t_app / t_min
    print(f"startup: {name}: minimal window (one label) {t_min*1000:.1f} ms, Inference Desk {t_app*1000:.1f} ms, "
          f"ratio {ratio:.2f}x (target <= 2x) {'OK' if ratio <= 2 else 'OVER'}; "
          f"an empty QWidget, which never loads fonts: {t_empty*1000:.1f} ms ({t_app/t_empty:.2f}x)")
    return ratio <= 2


def bench_stall(build):
    tool = os.path.join(build, "bin/idesk-bench-gui")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "features.json")
        make_features(path)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        stalls = []
        for _ in range(3):
            out = subprocess.run([tool, "stall", path], env=env, check=True, stdout=subprocess.PIPE,
                                 text=True).stdout.split()
            stalls.append(int(out[0]))
        size = os.path.getsize(path)
    worst = statistics.median(stalls)
    print(f"stall  : {size/1e6:.1f} MB answer shown, longest event-loop stall median {worst} ms of 3 runs "
          f"{stalls} (target <= 50 ms) {'OK' if worst <= 50 else 'OVER'}")
    return worst <= 50


def bench_chat(build):
    tool = os.path.join(build, "bin/idesk-bench-chat-view")
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    ok = True
    for variant in ([], ["--tool-calls"]):
        r = subprocess.run([tool] + variant, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                           text=True)
        print("chat   : " + ("tool-call chunks" if variant else "text only"))
        print("  " + r.stdout.strip().replace("\n", "\n  "))
        ok &= r.returncode == 0
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--startup-inner", help=argparse.SUPPRESS)
    ap.add_argument("which", nargs="*", default=["call", "pretty", "startup", "stall", "chat"])
    args = ap.parse_args()
    if args.startup_inner:
        sys.exit(0 if startup_inner(args.build, args.startup_inner) else 1)
    ok = True
    if "call" in args.which:
        ok &= bench_call(args.build)
    if "pretty" in args.which:
        ok &= bench_pretty(args.build)
    if "startup" in args.which:
        ok &= bench_startup(args.build)
    if "stall" in args.which:
        ok &= bench_stall(args.build)
    if "chat" in args.which:
        ok &= bench_chat(args.build)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
