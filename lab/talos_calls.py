"""Counts the calls that reached the lab's Talos nodes and could change one (apply, bootstrap,
etcd upload, reset, reboot), from GET /talos/state: `make lab-smoke` checks that a second run
of a runbook adds none.

    python3 lab/talos_calls.py --out DIR     prints the count; --list prints the calls"""
import argparse
import json
import os
import sys
import urllib.request

MUTATING = ("ApplyConfiguration", "Bootstrap", "EtcdRecover", "Reset", "Reboot")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, help="the lab's directory (its lab.json names the control URL)")
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args()
    with open(os.path.join(args.out, "lab.json")) as handle:
        control = json.load(handle)["control"]
    with urllib.request.urlopen(control + "/talos/state", timeout=30) as answer:
        calls = json.load(answer)["calls"]
    mutating = [c for c in calls if c["method"] in MUTATING]
    if args.list:
        for call in mutating:
            print(f"{call['node']} {call['method']} ({call['mode']})")
    else:
        print(len(mutating))
    return 0


if __name__ == "__main__":
    sys.exit(main())
