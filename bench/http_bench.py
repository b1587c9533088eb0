#!/usr/bin/env python3
"""HTTPS download throughput: homelab's HTTPClient (`transport-bench http-get`, release build)
against the `curl` command line, same server, same file, rounds alternating.

The server is a small threaded Python HTTPS server that writes one pre-built 4 MiB buffer over
and over (HTTP/1.1, TLS 1.3, ECDSA P-256 from the openssl CLI), so each client is measured against
a peer that spends almost nothing per byte besides encryption. It runs in this process; each
client runs as a child, and its peak RSS comes from wait4's rusage.

Standard library and the openssl CLI only. Target: ours/curl >= 0.9x.
"""

import argparse
import os
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import json

TARGET_RATIO = 0.9
BUFFER = bytes(((i * 31 + 7) & 0xFF) for i in range(256)) * (4 * 1024 * 1024 // 256)


def make_certificate(directory):
    key, cert = os.path.join(directory, "key.pem"), os.path.join(directory, "cert.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


def serve(listener, context):
    def handle(connection):
        try:
            with context.wrap_socket(connection, server_side=True) as tls:
                request = b""
                while b"\r\n\r\n" not in request:
                    data = tls.recv(65536)
                    if not data:
                        return
                    request += data
                path = request.split(b" ", 2)[1].decode()
                size = int(path.rsplit("/", 1)[1])
                tls.sendall(f"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nContent-Type: application/octet-stream\r\n"
                            f"Connection: close\r\n\r\n".encode())
                view = memoryview(BUFFER)
                left = size
                while left > 0:
                    piece = view[: min(len(view), left)]
                    tls.sendall(piece)
                    left -= len(piece)
        except (OSError, ssl.SSLError):
            pass

    while True:
        connection, _ = listener.accept()
        threading.Thread(target=handle, args=(connection,), daemon=True).start()


def run_client(command):
    """Runs one download; returns (seconds, peak RSS in MiB, CPU seconds, stdout)."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    out, err = process.stdout.read(), process.stderr.read()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{command[0]} failed ({process.returncode}): {err.decode().strip()}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transport-bench", required=True, help="release build of transport-bench")
    parser.add_argument("--curl", default=shutil.which("curl") or "curl")
    parser.add_argument("--bytes", type=int, default=2 * 1024 ** 3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    directory = tempfile.mkdtemp(prefix="http-bench-")
    try:
        cert, key = make_certificate(directory)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        context.set_alpn_protocols(["http/1.1"])
        listener = socket.create_server(("127.0.0.1", 0))
        threading.Thread(target=serve, args=(listener, context), daemon=True).start()
        url = f"https://127.0.0.1:{listener.getsockname()[1]}/bytes/{args.bytes}"

        clients = {
            "homelab": [args.transport_bench, "http-get", url, "--cacert", cert],
            "curl": [args.curl, "-s", "-o", "/dev/null", "--cacert", cert, url],
        }
        results = {name: [] for name in clients}
        for round_index in range(args.rounds):
            order = list(clients) if round_index % 2 == 0 else list(reversed(clients))
            for name in order:
                seconds, rss, cpu, out = run_client(clients[name])
                if name == "homelab":
                    reported = json.loads(out)
                    if reported["bytes"] != args.bytes:
                        sys.exit(f"homelab downloaded {reported['bytes']} bytes, expected {args.bytes}")
                results[name].append((seconds, rss, cpu))

        size_mb = args.bytes / 1e6
        print(f"HTTPS download of {args.bytes / 2 ** 30:.2f} GiB over loopback, {args.rounds} rounds alternating "
              f"(wall time of the client process, median)")
        print(f"{'client':<10} {'seconds':>8} {'MB/s':>8} {'CPU s':>7} {'peak RSS MiB':>13}")
        medians = {}
        for name, runs in results.items():
            seconds = statistics.median(r[0] for r in runs)
            rss = max(r[1] for r in runs)
            cpu = statistics.median(r[2] for r in runs)
            medians[name] = seconds
            print(f"{name:<10} {seconds:>8.2f} {size_mb / seconds:>8.0f} {cpu:>7.2f} {rss:>13.1f}")
        ratio = medians["curl"] / medians["homelab"]
        verdict = "meets" if ratio >= TARGET_RATIO else "misses"
        print(f"throughput ours/curl: {ratio:.2f}x (target >= {TARGET_RATIO}x: {verdict})")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
