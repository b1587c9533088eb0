#!/usr/bin/env python3
"""The lab's time from three started Talos VMs to a healthy cluster, against the sum of the Talos
double's own delays on the critical path, as a ratio.

Each round starts a lab of its own (free ports, a temporary directory), runs
runbooks/examples/talos-cluster.yaml against it with a new secrets bundle, and reads the run's
journal: the time from the last `node-address` instance's success (three VMs started, their
guest agents answering) to the `health` step's success. The double's delays come from its
settings (GET /talos/state): the control plane's apply answer goes out (`apply_grace`), it
reboots (`reboot_delay`), and after its configured boot CRI and kubelet come up after
`service_delay`, before which Bootstrap is refused; workers do the same in parallel. The ratio
says how much time homelab (and the double's real work: TLS, a real etcd starting) adds to
delays no client can avoid.

Standard library only; run from the repository's root:
    python3 bench/talos_bench.py --homelab .build-bench/swift/release/homelab --lab-python .build-lab/venv/bin/python3
"""

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNBOOK = os.path.join(ROOT, "runbooks", "examples", "talos-cluster.yaml")


def timestamp(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()


def journal(state):
    runs = os.path.join(state, "runs")
    ids = sorted(os.listdir(runs))
    with open(os.path.join(runs, ids[-1], "journal.jsonl")) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def talos_state(out):
    with open(os.path.join(out, "lab.json")) as handle:
        control = json.load(handle)["control"]
    with urllib.request.urlopen(control + "/talos/state", timeout=30) as answer:
        return json.load(answer)


def one_round(args, scratch):
    out, state = os.path.join(scratch, "lab"), os.path.join(scratch, "state")
    lab = [args.lab_python, os.path.join(ROOT, "lab", "lab.py")]
    subprocess.run(lab + ["up", "--out", out, "--proxmox-port", "0", "--control-port", "0", "--no-ssh"],
                   check=True, stdout=subprocess.DEVNULL)
    try:
        with open(os.path.join(out, "secrets", "proxmox-token")) as handle:
            env = dict(os.environ, PROXMOX_TOKEN=handle.read().strip())
        talos = os.path.join(out, "talos")
        command = [args.homelab, "run", RUNBOOK, "--inventory", os.path.join(out, "inventory.yaml"), "--state-dir", state,
                   "--yes", "--param", "new-cluster=true", "--param", f"secrets-bundle={talos}/secrets.yaml",
                   "--param", f"talosconfig={talos}/talosconfig", "--param", f"kubeconfig={talos}/kubeconfig"]
        result = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout)
            raise SystemExit(f"the run failed (exit {result.returncode})")
        settings = talos_state(out)["settings"]
    finally:
        subprocess.run(lab + ["down", "--out", out], stdout=subprocess.DEVNULL)
    events = journal(state)
    started = max(timestamp(e["at"]) for e in events if e["event"] == "stepSucceeded" and e["step"].startswith("node-address["))
    # The health step's probe may find the cluster healthy already (it asks for 10 seconds): then
    # it ends "satisfied" instead of "succeeded"; either is the moment the cluster was healthy.
    healthy = max(timestamp(e["at"]) for e in events if e["event"] in ("stepSucceeded", "stepSatisfied") and e["step"] == "health")
    critical = settings["apply_grace"] + settings["reboot_delay"] + settings["service_delay"]
    return healthy - started, critical, settings


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--homelab", required=True)
    parser.add_argument("--lab-python", default=sys.executable)
    parser.add_argument("--runs", type=int, default=3, help="rounds, each with a fresh lab (median)")
    args = parser.parse_args()
    args.homelab = os.path.abspath(args.homelab)
    rounds = []
    for number in range(args.runs):
        scratch = tempfile.mkdtemp(prefix="homelab-talos-bench-")
        try:
            rounds.append(one_round(args, scratch))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        measured, critical, _ = rounds[-1]
        print(f"  round {number + 1}: {measured:.3f} s from three started VMs to a healthy cluster")
    measured = statistics.median(r[0] for r in rounds)
    critical, settings = rounds[0][1], rounds[0][2]
    print()
    print("Talos: three started VMs to a healthy cluster (runbooks/examples/talos-cluster.yaml against the lab)")
    rows = [
        (f"lab time (median of {args.runs})", f"{measured:8.3f} s"),
        ("double's delays on the critical path", f"{critical:8.3f} s   (apply_grace {settings['apply_grace']:g} + "
         f"reboot_delay {settings['reboot_delay']:g} + service_delay {settings['service_delay']:g})"),
        ("ratio", f"{measured / critical:8.2f}x"),
        ("load average", " ".join(f"{x:.2f}" for x in os.getloadavg())),
    ]
    for label, value in rows:
        print(f"  {label:<38}{value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
