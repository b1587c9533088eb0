#!/usr/bin/env python3
"""ZFS figures for `make bench`, on one zfs-fuse lab host (lab/fixtures/zfs_host_fixture.py: real
ZFS and a real sshd in a private mount namespace) and one 2 GiB dataset, tank/bench:

(a) replication on the host, tank/bench -> backup/bench (a full stream): homelab's `zfs.replicate`
    (`homelab run` of a one-step runbook, release build) against syncoid (Debian's sanoid
    package, `syncoid --no-sync-snap`), wall time of each whole command; ratio homelab/syncoid.
(b) a restore's SSH leg: the dataset's saved full `zfs send` stream streamed from a local file
    into `zfs receive -u backup/...` over SSH, by homelab (`transport-bench ssh-receive`, which
    goes through LiveRemoteShell.stream, the call zfs.restore makes for every stream it brings
    from the cloud) against OpenSSH (`ssh host zfs receive -u ... < stream`), same cipher and MAC;
    throughput of each and homelab's peak RSS. Target: >= 0.9x, peak RSS flat and < 64 MB.

Rounds alternate which side goes first; the target is destroyed between rounds. Each command
runs as a child and its peak RSS comes from wait4's rusage. Standard library only.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIB = 2048
SNAPSHOT = "homelab-2026-12-01-0000"


def start_fixture(python, size_mib):
    fixture = subprocess.Popen(
        [python, "-u", os.path.join(ROOT, "lab/fixtures/zfs_host_fixture.py"), "--size", str(size_mib),
         "--bulk", f"tank/bench:{MIB}"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT)
    line = fixture.stdout.readline()
    if not line:
        raise SystemExit("zfs_host_fixture.py did not start")
    return fixture, json.loads(line)


def run_rss(argv, stdin=None, env=None):
    """(wall seconds, peak RSS MB, stdout) of a child, its RSS from wait4."""
    started = time.monotonic()
    child = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    # Read both pipes to their end without reaping the child (communicate() would, and wait4
    # then has nothing left to report).
    err_parts = []
    reader = threading.Thread(target=lambda: err_parts.append(child.stderr.read()))
    reader.start()
    out = child.stdout.read()
    reader.join()
    err = err_parts[0]
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:3])}... failed ({child.returncode}):\n{out.decode()[-2000:]}\n{err.decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out.decode()


class Host:
    def __init__(self, info):
        self.info = info
        self.nsenter = info["nsenter"]

    def sh(self, command, **kwargs):
        return subprocess.run([*self.nsenter, "/bin/sh", "-c", command], check=True, capture_output=True, text=True, **kwargs).stdout

    def destroy(self, dataset):
        """Gone for sure before the next round: unmounted first (zfs-fuse can answer "dataset is
        busy" to a destroy of a dataset just written through FUSE), asked again while busy."""
        deadline = time.monotonic() + 120
        while True:
            subprocess.run([*self.nsenter, "zfs", "unmount", dataset], capture_output=True)
            result = subprocess.run([*self.nsenter, "zfs", "destroy", "-r", dataset], capture_output=True, text=True)
            if result.returncode == 0 or "does not exist" in result.stderr:
                return
            if "busy" not in result.stderr or time.monotonic() > deadline:
                raise SystemExit(f"zfs destroy -r {dataset}: {result.stderr.strip()}")
            time.sleep(0.2)

    def ssh_argv(self, cipher, mac, command):
        info = self.info
        return ["ssh", "-F", "/dev/null", "-c", cipher, "-m", mac, "-i", info["key"], "-p", str(info["port"]),
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "Compression=no",
                "-o", "StrictHostKeyChecking=yes", "-o", f"UserKnownHostsFile={info['known_hosts']}",
                "-o", "ControlMaster=no", "-o", "ControlPath=none", f"{info['user']}@{info['host']}", command]


def write_replicate_runbook(directory, info):
    inventory = os.path.join(directory, "inventory.yaml")
    with open(inventory, "w") as handle:
        handle.write(f"""proxmox:
  address: {info['host']}
  ssh: {{user: {info['user']}, port: {info['port']}, key: {info['key']}, known-hosts: {info['known_hosts']}, host-key-policy: strict}}
""")
    runbook = os.path.join(directory, "replicate.yaml")
    with open(runbook, "w") as handle:
        handle.write("""runbook: bench-replicate
inventory: inventory.yaml
steps:
  - id: replicate
    uses: zfs.replicate
    with: { host: "${inventory.proxmox}", datasets: [tank/bench], replica-pool: backup }
""")
    return runbook


def bench_replicate(args, host, scratch):
    runbook = write_replicate_runbook(scratch, host.info)
    state = os.path.join(scratch, "state")
    sides = {
        "homelab": [args.homelab, "run", runbook, "--state-dir", state, "--fresh", "--yes", "--color", "never"],
        "syncoid": [*host.nsenter, "syncoid", "--no-sync-snap", "--quiet", "tank/bench", "backup/bench"],
    }
    results = {name: [] for name in sides}
    # One untimed pass first: the dataset was just written, and whichever side went first would
    # otherwise pay alone for reading it cold.
    host.sh(f"zfs send tank/bench@{SNAPSHOT} > /dev/null")
    print(f"(a) replicate tank/bench ({MIB} MiB, full stream) to backup/bench on the host, {args.rounds} rounds")
    print(f"{'round':>5}  {'side':<8} {'seconds':>8} {'MB/s':>8}")
    for number in range(1, args.rounds + 1):
        order = list(sides) if number % 2 else list(reversed(list(sides)))
        for name in order:
            host.destroy("backup/bench")
            wall, _, _ = run_rss(sides[name])
            check = host.sh(f"zfs get -Hp -o value guid backup/bench@{SNAPSHOT}").strip()
            if check != host.info["bulk"]["tank/bench"][SNAPSHOT]:
                raise SystemExit(f"{name}: backup/bench@{SNAPSHOT} has guid {check!r}, not the source's")
            results[name].append(wall)
            print(f"{number:>5}  {name:<8} {wall:>8.2f} {MIB * 1.048576 / wall:>8.1f}", flush=True)
    host.destroy("backup/bench")
    ours, theirs = statistics.median(results["homelab"]), statistics.median(results["syncoid"])
    print(f"median  homelab {ours:.2f} s   syncoid {theirs:.2f} s   wall ratio homelab/syncoid {ours / theirs:.2f}x "
          f"(lower is faster)")
    return ours / theirs


def bench_receive(args, host, scratch):
    stream = os.path.join(scratch, "bench.zstream")
    subprocess.run([*host.nsenter, "/bin/sh", "-c", f"zfs send tank/bench@{SNAPSHOT} > {stream}"], check=True)
    size = os.path.getsize(stream)
    info = host.info
    command = "zfs receive -u backup/restored"
    sides = {
        "homelab": lambda: run_rss([args.transport_bench, "ssh-receive", "--host", info["host"], "--port", str(info["port"]),
                                    "--user", info["user"], "--key", info["key"], "--known-hosts", info["known_hosts"],
                                    "--file", stream, "--command", command]),
        "openssh": lambda: run_rss(host.ssh_argv(args.cipher, args.mac, command), stdin=open(stream, "rb")),
    }
    results = {name: [] for name in sides}
    print(f"(b) a saved full stream ({size / 2**20:.0f} MiB) into `{command}` over SSH, {args.rounds} rounds "
          f"(OpenSSH with {args.cipher} + {args.mac}; homelab negotiates its default)")
    print(f"{'round':>5}  {'side':<8} {'seconds':>8} {'MB/s':>8} {'peak RSS MB':>12}")
    for number in range(1, args.rounds + 1):
        order = list(sides) if number % 2 else list(reversed(list(sides)))
        for name in order:
            host.destroy("backup/restored")
            wall, rss, _ = sides[name]()
            check = host.sh(f"zfs get -Hp -o value guid backup/restored@{SNAPSHOT}").strip()
            if check != info["bulk"]["tank/bench"][SNAPSHOT]:
                raise SystemExit(f"{name}: backup/restored@{SNAPSHOT} has guid {check!r}, not the source's")
            results[name].append((wall, rss))
            print(f"{number:>5}  {name:<8} {wall:>8.2f} {size / wall / 1e6:>8.1f} {rss:>12.1f}", flush=True)
    host.destroy("backup/restored")
    os.unlink(stream)
    rate = {name: statistics.median(size / wall / 1e6 for wall, _ in results[name]) for name in results}
    ours_rss = max(rss for _, rss in results["homelab"])
    ratio = rate["homelab"] / rate["openssh"]
    print(f"median  homelab {rate['homelab']:.1f} MB/s   openssh {rate['openssh']:.1f} MB/s   ratio {ratio:.2f}x "
          f"(target >= 0.9x: {'met' if ratio >= 0.9 else 'NOT met'})")
    print(f"peak RSS homelab {ours_rss:.1f} MB (target < 64 MB: {'met' if ours_rss < 64 else 'NOT met'})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--homelab", required=True)
    parser.add_argument("--transport-bench", required=True)
    parser.add_argument("--python", default=os.environ.get("HOMELAB_LAB_PYTHON", sys.executable))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cipher", default="aes128-ctr")
    parser.add_argument("--mac", default="hmac-sha2-256")
    args = parser.parse_args()

    print(f"starting the ZFS lab host with a {MIB} MiB dataset (zfs-fuse; takes a minute)...", flush=True)
    fixture, info = start_fixture(args.python, size_mib=MIB * 3)
    host = Host(info)
    try:
        with tempfile.TemporaryDirectory(prefix="homelab-zfs-bench-") as scratch:
            bench_replicate(args, host, scratch)
            print()
            bench_receive(args, host, scratch)
    finally:
        fixture.stdin.close()
        fixture.wait(timeout=120)


if __name__ == "__main__":
    main()
