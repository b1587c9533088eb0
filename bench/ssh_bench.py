#!/usr/bin/env python3
"""SSH streaming throughput: homelab's libssh2 client against OpenSSH's ssh, same server, same cipher.

Starts lab/fixtures/sshd_fixture.py (a real sshd on loopback), then for several rounds, alternating,
pushes --bytes through one exec channel into `cat > /dev/null`:
  ours: transport-bench ssh-push (bytes generated in memory)
  ssh : ssh -c CIPHER -m MAC ... 'cat > /dev/null', stdin a pipe from a generator process
        (so disk speed is not measured)
and prints wall-clock seconds, MB/s (10^6 bytes/s) and peak RSS of each client (wait4's ru_maxrss),
then the medians, the ratio ours/ssh and the targets: >= 0.9x throughput, peak RSS < 64 MB.

    python3 bench/ssh_bench.py [--binary .build-ssh-rel/release/transport-bench] [--bytes N] [--rounds R]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = r"""
import os, sys
total = int(sys.argv[1])
block = os.urandom(1 << 20)
view = memoryview(block)
out = sys.stdout.fileno()
while total > 0:
    n = os.write(out, view[:min(total, len(block))])
    total -= n
"""


def start_fixture(python):
    fixture = subprocess.Popen([python, "-u", os.path.join(ROOT, "lab/fixtures/sshd_fixture.py"), "--no-agent"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT)
    line = fixture.stdout.readline()
    if not line:
        sys.exit("sshd fixture did not start")
    return fixture, json.loads(line)


def run_measured(argv, stdin=None):
    """Runs argv to completion; returns (wall seconds, peak RSS in MB, stdout)."""
    started = time.monotonic()
    process = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{argv[0]} failed ({process.returncode}): {err.decode(errors='replace')}")
    return wall, usage.ru_maxrss / 1024, out


def ours(args, lab):
    wall, rss, out = run_measured([
        args.binary, "ssh-push", "--host", lab["host"], "--port", str(lab["port"]), "--user", lab["user"],
        "--key", lab["keys"]["ed25519"], "--known-hosts", lab["known_hosts"], "--bytes", str(args.bytes),
        "--cipher", args.cipher, "--mac", args.mac, "--window", str(args.window)])
    inner = json.loads(out.decode().strip().splitlines()[-1])
    return wall, rss, inner["seconds"]


def openssh(args, lab):
    generator = subprocess.Popen([sys.executable, "-c", GENERATOR, str(args.bytes)], stdout=subprocess.PIPE)
    try:
        wall, rss, _ = run_measured([
            "ssh", "-F", "/dev/null", "-c", args.cipher, "-m", args.mac, "-i", lab["keys"]["ed25519"],
            "-p", str(lab["port"]), "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "Compression=no",
            "-o", "StrictHostKeyChecking=yes", "-o", f"UserKnownHostsFile={lab['known_hosts']}",
            "-o", "ControlMaster=no", "-o", "ControlPath=none", f"{lab['user']}@{lab['host']}", "cat > /dev/null"],
            stdin=generator.stdout)
    finally:
        generator.stdout.close()
        generator.wait()
    return wall, rss, None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build-ssh-rel/release/transport-bench"))
    parser.add_argument("--python", default=os.environ.get("HOMELAB_LAB_PYTHON", sys.executable))
    parser.add_argument("--bytes", type=int, default=2 << 30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cipher", default="aes128-ctr")
    parser.add_argument("--mac", default="hmac-sha2-256")
    parser.add_argument("--window", type=int, default=8 << 20)
    args = parser.parse_args()

    fixture, lab = start_fixture(args.python)
    results = {"ours": [], "ssh": []}
    try:
        print(f"pushing {args.bytes / 2**30:.2f} GiB into `cat > /dev/null` on {lab['host']}:{lab['port']}, "
              f"{args.cipher} + {args.mac}, {args.rounds} rounds alternating")
        print(f"{'round':>5}  {'client':<6} {'seconds':>8} {'MB/s':>8} {'peak RSS MB':>12}")
        for round_number in range(1, args.rounds + 1):
            for name, run in (("ours", ours), ("ssh", openssh)) if round_number % 2 else (("ssh", openssh), ("ours", ours)):
                wall, rss, _ = run(args, lab)
                results[name].append((wall, rss))
                print(f"{round_number:>5}  {name:<6} {wall:>8.2f} {args.bytes / wall / 1e6:>8.1f} {rss:>12.1f}", flush=True)
    finally:
        fixture.stdin.close()
        fixture.wait(timeout=10)

    def median_rate(name):
        return statistics.median(args.bytes / wall / 1e6 for wall, _ in results[name])

    ours_rate, ssh_rate = median_rate("ours"), median_rate("ssh")
    ours_rss = max(rss for _, rss in results["ours"])
    ssh_rss = max(rss for _, rss in results["ssh"])
    ratio = ours_rate / ssh_rate
    print()
    print(f"median  ours {ours_rate:8.1f} MB/s   ssh {ssh_rate:8.1f} MB/s   ratio ours/ssh {ratio:.2f}x "
          f"(target >= 0.9x: {'met' if ratio >= 0.9 else 'NOT met'})")
    print(f"peak RSS ours {ours_rss:.1f} MB   ssh {ssh_rss:.1f} MB   (target ours < 64 MB: "
          f"{'met' if ours_rss < 64 else 'NOT met'})")


if __name__ == "__main__":
    main()
