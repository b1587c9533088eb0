"""`lab.py serve`: start everything in this process, announce one JSON line, serve until told.

Stops on SIGTERM/SIGINT, or on stdin EOF with --watch-stdin (how the Swift tests' LabFixture
ends it: when the test process goes, the lab goes)."""
import json
import os
import signal
import subprocess
import sys
import threading

from . import inventory, specs, zfs_lab
from .control import ControlServer
from .identity import Identity
from .server import ProxmoxServer
from .state import Lab
from .talos.cluster import TalosCluster, TalosError


def start_host_shell(args):
    """The Proxmox host's shell: the seeded ZFS host (zfs-fuse + sshd, lab/fixtures/
    zfs_host_fixture.py) when --zfs and zfs-fuse can run here, else the plain sshd fixture.
    Returns (child, ssh info, zfs info or None); the children die with us."""
    if not args.ssh:
        return None, None, None
    if args.zfs:
        usable, why = zfs_lab.zfs_available()
        if usable:
            child, info = zfs_lab.start_fixture("zfs_host_fixture.py", "--seed", "--size", str(args.zfs_size))
            return child, info, info
        print(f"lab: no ZFS host ({why}); the host's shell is a plain sshd", file=sys.stderr)
    child, info = zfs_lab.start_fixture("sshd_fixture.py", "--no-agent")
    return child, info, None


def serve(args):
    out_dir = os.path.abspath(args.out)
    os.makedirs(out_dir, exist_ok=True)
    identity = Identity(out_dir, new_certificate=args.new_certificate)
    lab = Lab(out_dir, identity)
    sshd, ssh_info, zfs_info = start_host_shell(args)
    s3, s3_info = zfs_lab.start_fixture("s3_fixture.py") if args.s3 else (None, None)
    if s3_info:
        zfs_lab.write_secrets(out_dir, s3_info)
        zfs_lab.write_storage(out_dir, s3_info)

    proxmox = ProxmoxServer(("127.0.0.1", args.proxmox_port), lab)
    proxmox_port = proxmox.server_address[1]
    holder = {}
    # The Talos nodes follow the lab's port mode unless told: 50000 beside fixed ports, a free
    # port (one per lab, on every node address) beside free ones.
    talos_port = args.talos_port if args.talos_port is not None else (50000 if args.proxmox_port else 0)
    try:
        talos = TalosCluster(lab, talos_port)
    except TalosError as error:
        raise SystemExit(f"lab: {error}") from None
    lab.power_watchers.append(talos.poke)
    lab.reset_hooks.append(talos.reset)
    lab.settle_hooks.append(talos.settle)
    lab.talos = talos

    def rewrite_inventory():
        return inventory.write(out_dir, identity, proxmox_port, holder["control_port"], ssh_info, talos.port,
                               zfs_pools=zfs_lab.inventory_pools(zfs_info) if zfs_info else None)

    control = ControlServer(("127.0.0.1", args.control_port), lab, rewrite_inventory)
    holder["control_port"] = control.server_address[1]
    inventory_path = rewrite_inventory()

    talos.start()
    for server in (proxmox, control):
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()

    done = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: done.set())
    if args.watch_stdin:
        def watch():
            try:
                while sys.stdin.buffer.read(4096):
                    pass
            finally:
                done.set()
        threading.Thread(target=watch, daemon=True).start()

    info = {
        "inventory": inventory_path,
        "control": f"http://127.0.0.1:{holder['control_port']}",
        "out": out_dir,
        "pid": os.getpid(),
        "proxmox": {"url": f"https://127.0.0.1:{proxmox_port}/api2/json", "port": proxmox_port,
                    "node": specs.NODE, "fingerprint": identity.fingerprint, "spki_pin": identity.spki_pin,
                    "token": identity.token, "token_id": specs.TOKEN_ID,
                    "token_file": os.path.abspath(identity.token_file),
                    "certificate": identity.certificate, "ca": identity.ca},
        "talos": {"port": talos.port, "nodes": {n.name: f"{n.ip}:{talos.port}" for n in talos.nodes}},
    }
    if ssh_info:
        info["ssh"] = ssh_info
    if zfs_info:
        info["zfs"] = {"pools": zfs_info["pools"], "mount_root": zfs_info["mount_root"], "nsenter": zfs_info["nsenter"],
                       "datasets": sorted(zfs_info["datasets"]), "snapshots": zfs_info["snapshots"]}
    if s3_info:
        info["s3"] = {key: s3_info[key] for key in ("endpoint", "region", "bucket")}
        info["storage"] = os.path.join(out_dir, "storage")
    sys.stdout.write(json.dumps(info, sort_keys=True) + "\n")
    sys.stdout.flush()

    done.wait()
    proxmox.shutdown()
    control.shutdown()
    talos.stop()  # every listener and etcd process, before the process ends
    # Each fixture stops its servers (zfs-fuse: unmount, close the pools) and removes its folder
    # when its stdin closes.
    for child in (s3, sshd):
        if child is not None:
            zfs_lab.stop_fixture(child)
    return 0
