#!/usr/bin/env python3
"""The local lab: one process with the Proxmox VE API double, its control interface, the Talos
node doubles (real etcd behind the control planes; lab/labkit/talos/README.md) and (optionally)
a real OpenSSH sshd as the Proxmox host's shell. See docs/lab.md.

    lab.py serve --out DIR [--proxmox-port 8006] [--control-port 8016] [--talos-port 50000] [--ssh [--zfs]] [--s3]
                 [--watch-stdin] [--new-certificate]        one JSON line when ready, then serve
    lab.py up | down | status               the lab in lab/out, detached (make lab-up / lab-down)
    lab.py fault 'POST /nodes/{node}/qemu' --status 596 --reason 'Connection timed out' [--after] [--count 1]
    lab.py hold qmcreate [--vmid 201] | release | fail qmstart --exitstatus '...' | lie [--vmid 201]
    lab.py settings --agent-delay 0.2 --duration qmcreate=0.1 | rotate | reset | requests | state
    lab.py talos-fault --node cp-1 --method Bootstrap --kind not-ready | talos-settings --reboot-delay 0.2
    lab.py talos-state
"""
import os
import sys

LAB_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(LAB_DIR)
# `lab` must be the lab/ directory (for lab.fixtures and lab.labkit), not this script.
sys.path[:] = [p for p in sys.path if os.path.realpath(p or ".") != os.path.realpath(LAB_DIR)]
sys.path.insert(0, REPO)

from lab.labkit import cli  # noqa: E402

if __name__ == "__main__":
    sys.exit(cli.main(sys.argv[1:]))
