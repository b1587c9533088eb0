"""The lab's machines: the same VMs as the real homelab (inventory.yaml), on loopback addresses.
Used for the lab inventory, the seeded backups and the guest agent's answers."""

import os
import re

NODE = "pve"
TOKEN_ID = "root@pam!homelab"
PCI_MAPPINGS = ("amd-igpu",)
BRIDGES = ("vmbr0",)
INVENTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "inventory.yaml")


def _inventory_value(section, key):
    """`section.key` of the repository's inventory.yaml, for the values the lab shares with the
    real homelab (one source of truth; lab/tests/test_inventory_drift.py checks the rest). Read
    by hand: `lab.py down` may run without the venv's YAML parser."""
    with open(INVENTORY, encoding="utf-8") as handle:
        match = re.search(rf"^{section}:\n(?:[ #].*\n|\n)*?  {key}: *(\S+)", handle.read(), re.MULTILINE)
    if not match:
        raise SystemExit(f"no {section}.{key} in {INVENTORY}")
    return match.group(1)


# The lab's LAN is on loopback; the domain is the real one (hosts are <service>.<domain>).
NETWORK = {"lan": "127.0.10.0/24", "gateway": "127.0.10.1", "domain": _inventory_value("network", "domain")}
# Talos' version has one source of truth (the generated protobuf code is stamped with it too).
TALOS_VERSION = _inventory_value("talos", "version")
TALOS_ISO = f"talos-{TALOS_VERSION}-metal-amd64.iso"
# The Image Factory schematic of /inventory.yaml (siderolabs/qemu-guest-agent).
TALOS_SCHEMATIC = _inventory_value("talos", "schematic")

TALOS_NODES = [
    {"name": "cp-1", "role": "controlplane", "vmid": 201, "ip": "127.0.10.21", "mac": "BC:24:11:00:02:01",
     "cores": 4, "memory": 8192, "disk": "64G", "tags": ["talos", "controlplane"]},
    {"name": "worker-1", "role": "worker", "vmid": 211, "ip": "127.0.10.31", "mac": "BC:24:11:00:02:11",
     "cores": 6, "memory": 16384, "disk": "128G", "tags": ["talos", "worker"]},
    {"name": "worker-2", "role": "worker", "vmid": 212, "ip": "127.0.10.32", "mac": "BC:24:11:00:02:12",
     "cores": 6, "memory": 16384, "disk": "128G", "tags": ["talos", "worker"]},
]

GAMING = [
    {"name": "windows", "vmid": 301, "machine": "q35", "bios": "ovmf", "secure-boot": True, "tpm": True,
     "gpu": "amd-igpu", "ostype": "win11", "cores": 8, "memory": 16384, "disk": "256G", "tags": ["gaming"]},
    {"name": "steamos", "vmid": 302, "machine": "q35", "bios": "ovmf", "gpu": "amd-igpu", "ostype": "l26",
     "cores": 8, "memory": 16384, "disk": "128G", "tags": ["gaming"]},
]

BACKED_UP = (201, 211, 212, 301)
BACKUP_TIMES = ("2026_11_20-03_00_00", "2026_11_26-03_00_00")


def lab_ip(vmid):
    """The address the guest agent reports for a VM: the inventory's, else 10.99.0.<vmid mod 250>."""
    for node in TALOS_NODES:
        if node["vmid"] == vmid:
            return node["ip"]
    return f"10.99.0.{vmid % 250}"


def spec(vmid):
    for machine in TALOS_NODES + GAMING:
        if machine["vmid"] == vmid:
            return machine
    return None
