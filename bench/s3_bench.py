#!/usr/bin/env python3
"""Cloud-tier throughput: an encrypted stream uploaded and downloaded through homelab's
LiveBackupStore (`transport-bench s3-backup`, release build: AES-256-GCM chunks, 8 MiB multipart
parts, SigV4 by libcurl) against the `curl` command line (`--aws-sigv4`, one plain PUT and one
GET of a file of the same size), both against the lab's S3 server (moto, lab/fixtures/
s3_fixture.py, signatures checked), rounds alternating.

moto is a Python server and is likely the slowest part of either path, so the ratio says how
much homelab's encryption, chunking and multipart add on top of the same server, not what a
real S3 would give. Keys go through the environment and a curl config file, never a command line.

    python3 bench/s3_bench.py --transport-bench .build-bench/swift/release/transport-bench [--bytes N]
"""
import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BACKUP_KEY = "4f1c2e8a9b7d6c5e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e"


def start_s3(python):
    process = subprocess.Popen([python, "-u", os.path.join(ROOT, "lab/fixtures/s3_fixture.py")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    line = process.stdout.readline()
    if not line:
        sys.exit("the S3 fixture did not start")
    return process, json.loads(line)


def timed(command, env=None):
    """Runs a client; returns (seconds, stdout)."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = process.communicate()
    seconds = time.monotonic() - started
    if process.returncode != 0:
        sys.exit(f"{command[0]} failed ({process.returncode}): {err.decode().strip()}")
    return seconds, out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transport-bench", required=True)
    parser.add_argument("--curl", default=shutil.which("curl") or "curl")
    parser.add_argument("--python", default=os.environ.get("HOMELAB_LAB_PYTHON", sys.executable))
    parser.add_argument("--bytes", type=int, default=512 * 1024 ** 2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    server, s3 = start_s3(args.python)
    directory = tempfile.mkdtemp(prefix="s3-bench-")
    try:
        payload = os.path.join(directory, "payload")
        with open(payload, "wb") as out:
            left = args.bytes
            while left:
                piece = os.urandom(min(left, 1 << 20))
                out.write(piece)
                left -= len(piece)
        digest = hashlib.sha256()
        with open(payload, "rb") as data:
            for piece in iter(lambda: data.read(1 << 20), b""):
                digest.update(piece)
        config = os.path.join(directory, "curl.conf")
        with open(config, "w") as out:
            os.chmod(config, 0o600)
            out.write(f'user = "{s3["access_key"]}:{s3["secret_key"]}"\n')
        url = f'{s3["endpoint"]}/{s3["bucket"]}/bench/curl-object'
        sigv4 = ["--aws-sigv4", f'aws:amz:{s3["region"]}:s3', "-K", config, "-sS", "--fail"]
        curl_put = [args.curl, *sigv4, "-H", f"x-amz-content-sha256: {digest.hexdigest()}", "-T", payload, url]
        empty = hashlib.sha256(b"").hexdigest()
        curl_get = [args.curl, *sigv4, "-H", f"x-amz-content-sha256: {empty}", "-o", "/dev/null", url]
        curl_delete = [args.curl, *sigv4, "-H", f"x-amz-content-sha256: {empty}", "-X", "DELETE", url]
        env = dict(os.environ, HOMELAB_BENCH_S3_ACCESS_KEY=s3["access_key"], HOMELAB_BENCH_S3_SECRET_KEY=s3["secret_key"],
                   HOMELAB_BENCH_BACKUP_KEY=BACKUP_KEY)
        ours = [args.transport_bench, "s3-backup", "--endpoint", s3["endpoint"], "--region", s3["region"],
                "--bucket", s3["bucket"], "--size", str(args.bytes)]

        results = {"homelab": [], "curl": []}
        for round_index in range(args.rounds):
            for name in (["homelab", "curl"] if round_index % 2 == 0 else ["curl", "homelab"]):
                if name == "curl":
                    up, _ = timed(curl_put)
                    down, _ = timed(curl_get)
                    timed(curl_delete)
                    results["curl"].append((up, down))
                else:
                    _, out = timed(ours, env)
                    figures = json.loads(out)
                    if not figures["verified"] or figures["bytes"] != args.bytes:
                        sys.exit(f"homelab's round trip did not verify: {figures}")
                    results["homelab"].append((figures["upload_seconds"], figures["download_seconds"]))

        size_mb = args.bytes / 1e6
        print(f"S3 upload and download of {args.bytes / 2 ** 20:.0f} MiB against moto on loopback, {args.rounds} rounds "
              f"alternating (median seconds)")
        print(f"{'client':<34} {'up s':>7} {'up MB/s':>8} {'down s':>7} {'down MB/s':>10}")
        medians = {}
        labels = {"homelab": "homelab (encrypted, multipart)", "curl": "curl --aws-sigv4 (plain, one PUT)"}
        for name, runs in results.items():
            up = statistics.median(r[0] for r in runs)
            down = statistics.median(r[1] for r in runs)
            medians[name] = (up, down)
            print(f"{labels[name]:<34} {up:>7.2f} {size_mb / up:>8.1f} {down:>7.2f} {size_mb / down:>10.1f}")
        print(f"throughput ours/curl: upload {medians['curl'][0] / medians['homelab'][0]:.2f}x, "
              f"download {medians['curl'][1] / medians['homelab'][1]:.2f}x")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
        server.stdin.close()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
