#!/usr/bin/env python3
"""Measures the published binary: size, time from process start to the first 200 on /health, and idle RSS.

Usage: python3 tests/bench/startup.py [--runs 20] [--binary dist/vdm]
Each run starts `vdm server start` on a fixed free port in an empty directory with a clean environment, polls
/health over a raw socket every 0.5 ms until it answers 200, then reads VmRSS after a short idle, and stops it.
"""
import argparse, os, socket, statistics, subprocess, tempfile, time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def health_ok(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--binary", default="dist/vdm")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    times, rss = [], []
    for _ in range(args.runs):
        port = free_port()
        with tempfile.TemporaryDirectory() as cwd:
            env = {"PATH": os.environ.get("PATH", "/usr/bin"), "HOME": cwd, "OPENAI_API_KEY": "sk-bench"}
            start = time.perf_counter()
            proc = subprocess.Popen([binary, "server", "start", "--port", str(port)], cwd=cwd, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while not health_ok(port):
                if proc.poll() is not None:
                    raise SystemExit(f"vdm exited with {proc.returncode}")
                time.sleep(0.0005)
            times.append((time.perf_counter() - start) * 1000)
            time.sleep(0.5)
            rss.append(rss_kib(proc.pid) / 1024)
            proc.terminate()
            proc.wait(timeout=10)
    print(f"binary size: {os.path.getsize(binary) / 1e6:.1f} MB ({os.path.getsize(binary)} bytes)")
    print(f"start to first /health 200: median {statistics.median(times):.1f} ms "
          f"(min {min(times):.1f}, max {max(times):.1f}, {args.runs} runs)")
    print(f"idle RSS after one request: median {statistics.median(rss):.1f} MiB (max {max(rss):.1f})")


if __name__ == "__main__":
    main()
