"""DIR/inventory.yaml (the lab's inventory, same shape as the real homelab's) and DIR/files/
(the pseudo Talos ISO the control server serves, for download-url)."""
import getpass
import hashlib
import os

from . import specs

ISO_SIZE = 2 * 1024 * 1024


def ensure_iso(out_dir):
    """A ~2 MiB file with the ISO9660 magic `CD001` at 0x8001; made once, kept across restarts."""
    directory = os.path.join(out_dir, "files")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, specs.TALOS_ISO)
    if not os.path.exists(path):
        data = bytearray(ISO_SIZE)
        data[0x8000:0x8007] = b"\x01CD001\x01"
        seed = hashlib.sha256(b"homelab lab talos iso").digest()
        for offset in range(0x9000, ISO_SIZE, 4096):  # some non-zero content so checksums mean something
            data[offset:offset + 32] = hashlib.sha256(seed + offset.to_bytes(4, "big")).digest()
        with open(path + ".part", "wb") as handle:
            handle.write(data)
        os.replace(path + ".part", path)
    with open(path, "rb") as handle:
        checksum = hashlib.sha256(handle.read()).hexdigest()
    return path, checksum


def _scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if text == "" or any(c in text for c in ":#{}[],&*?|<>=!%@`'\"") or text.strip() != text \
            or text.lower() in ("null", "true", "false", "yes", "no", "on", "off"):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _flow(mapping):
    parts = []
    for key, value in mapping.items():
        if isinstance(value, list):
            parts.append(f"{key}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            parts.append(f"{key}: {_scalar(value)}")
    return "{ " + ", ".join(parts) + " }"


def render(data, indent=0):
    """A small YAML emitter for this inventory's shapes: nested maps, lists of flat maps."""
    lines = []
    pad = "  " * indent
    for key, value in data.items():
        if isinstance(value, dict):
            if all(not isinstance(v, (dict, list)) or (isinstance(v, list) and all(not isinstance(i, (dict, list)) for i in v))
                   for v in value.values()) and len(value) <= 6 and indent > 0:
                lines.append(f"{pad}{key}: {_flow(value)}")
            else:
                lines.append(f"{pad}{key}:")
                lines.extend(render(value, indent + 1))
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:")
            for item in value:
                lines.append(f"{pad}  - {_flow(item) if isinstance(item, dict) else _scalar(item)}")
        else:
            lines.append(f"{pad}{key}: {_scalar(value)}")
    return lines


def _talos_node(spec, talos_port):
    """A node entry as in /inventory.yaml, plus where its Talos API answers in this lab
    (`talos-api`: address:port; the address is the one its guest agent reports)."""
    node = dict(spec)
    if talos_port:
        node["talos-api"] = f"{spec['ip']}:{talos_port}"
    return node


def write(out_dir, identity, proxmox_port, control_port, ssh_info, talos_port=None, zfs_pools=None):
    iso_path, checksum = ensure_iso(out_dir)
    proxmox = {
        "host": specs.NODE,
        "node": specs.NODE,
        "address": "127.0.0.1",
        "api": f"https://127.0.0.1:{proxmox_port}/api2/json",
        "fingerprint": identity.fingerprint,
        "token-id": specs.TOKEN_ID,
        "token-file": os.path.abspath(identity.token_file),
        "bridge": specs.BRIDGES[0],
    }
    if ssh_info:
        proxmox["ssh"] = {"user": ssh_info["user"], "port": ssh_info["port"], "key": ssh_info["keys"]["ed25519"],
                          "known-hosts": ssh_info["known_hosts"], "host-key-policy": "strict"}
    proxmox["storage"] = {"vm": "local-zfs", "iso": "local", "backups": "backup-hdd"}
    control = f"http://127.0.0.1:{control_port}"
    data = {
        "site": "lab",
        "network": dict(specs.NETWORK),
        "proxmox": proxmox,
        "lab": {"control": control},
        "talos": {
            "version": specs.TALOS_VERSION,
            "cluster": "homelab",
            # The lab's Kubernetes API (DESIGN section 7: the Kubernetes double's address), so the
            # kubeconfig a control plane hands out points where the cluster will answer.
            "endpoint": "https://127.0.20.1:6443",
            "iso": {"storage": "local", "filename": specs.TALOS_ISO, "url": f"{control}/files/{specs.TALOS_ISO}",
                    "checksum": checksum, "checksum-algorithm": "sha256"},
            # Machine configs (talos/README.md): the installer image is INSTALLER/SCHEMATIC:VERSION,
            # as in /inventory.yaml; the double never pulls it.
            "schematic": specs.TALOS_SCHEMATIC,
            "install-disk": "/dev/sda",
            "nodes": [_talos_node(n, talos_port) for n in specs.TALOS_NODES],
        },
        "gaming": [dict(g) for g in specs.GAMING],
    }
    if zfs_pools:
        # The ZFS host's pools on its files (lab/fixtures/zfs_host_fixture.py); datasets and the
        # backup policy are in DIR/storage/.
        data["zfs"] = {"pools": zfs_pools}
    header = ["# The local lab's inventory, written by lab/lab.py serve (do not edit: rewritten on start).",
              f"# Proxmox double: {proxmox['api']} (user {getpass.getuser()}); control: {control}"]
    path = os.path.join(out_dir, "inventory.yaml")
    with open(path + ".part", "w") as handle:
        handle.write("\n".join(header + render(data)) + "\n")
    os.replace(path + ".part", path)
    return os.path.abspath(path)
