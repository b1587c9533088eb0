"""The Talos nodes of the lab: one event loop thread running every node's listener and etcd,
following the Proxmox double's VM power state (qemu_power pokes us; a short tick catches the
rest: destroyed VMs, a lab reset, the guest agent's delay).

Ports: every node listens on its own loopback address (the one the guest agent reports) and the
lab's Talos port: 50000 for `make lab-up`, a free port chosen at start (free on every node
address) when the lab runs on free ports, so parallel labs never collide. The port is written to
the inventory (`talos-api` of each node)."""
import asyncio
import logging
import os
import shutil
import socket
import threading
import time

import yaml

from .. import specs
from . import etcd
from .listener import Listener
from .node import Node

DEFAULT_SETTINGS = {
    "reboot_delay": 1.0,    # a node does not listen for this long when it reboots (apply, reset, reboot)
    "service_delay": 0.5,   # after a configured boot, until CRI/kubelet run and EPHEMERAL is mounted
    "apply_grace": 0.05,    # an answered apply/reset/reboot: the answer gets out before the node goes down
}
TICK = 0.1
log = logging.getLogger("lab.talos")


class TalosError(Exception):
    pass


def _alive(pid):
    try:
        os.kill(int(pid), 0)
        return True
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True


def reserve_port(addresses, wanted):
    """Binds `wanted` (0: one port free on every address) on every node address without
    listening, and returns (port, {address: socket}): the listeners take these sockets, so no
    other lab can take the port in between."""
    for _ in range(50):
        sockets = {}
        port = wanted
        try:
            for address in addresses:
                sock = socket.socket()
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sockets[address] = sock
                sock.bind((address, port))
                port = sock.getsockname()[1]
            return port, sockets
        except OSError as error:
            for sock in sockets.values():
                sock.close()
            if wanted:
                raise TalosError(f"the Talos port {wanted} is taken on {address} ({error.strerror}); stop what uses it "
                                 f"or start the lab with --talos-port 0") from None
    raise TalosError("found no port free on every Talos node address")


class TalosCluster:
    def __init__(self, lab, port, kubernetes_endpoint=None):
        self.lab = lab
        # The nodes' disks of this lab process (a restarted lab has new VMs, hence fresh disks);
        # those of lab processes that are gone are removed.
        parent = os.path.join(lab.out_dir, "talos")
        os.makedirs(parent, exist_ok=True)
        for entry in os.listdir(parent):
            if entry.startswith("run-") and not _alive(entry[4:]):
                shutil.rmtree(os.path.join(parent, entry), ignore_errors=True)
        self.state_dir = os.path.join(parent, f"run-{os.getpid()}")
        os.makedirs(self.state_dir, exist_ok=True)
        self.port, self.reserved = reserve_port([n["ip"] for n in specs.TALOS_NODES], port)
        self.settings = dict(DEFAULT_SETTINGS)
        self.faults = []
        # Every call that reached a node's apid, in order: {node, method, mode}. Tests and the
        # bench read it in /talos/state ("calls") to tell which calls a run made, so a re-run can
        # be shown to have sent nothing that changes a node.
        self.calls = []
        self._kubernetes_endpoint = kubernetes_endpoint
        self.nodes = [Node(self, spec) for spec in specs.TALOS_NODES]
        self.loop = asyncio.new_event_loop()
        self._poke = None
        self._stopped = threading.Event()
        self._ready = threading.Event()
        self.thread = threading.Thread(target=self._run, name="talos", daemon=True)

    # -- facts for the nodes -----------------------------------------------------------------

    def node_at(self, address):
        for node in self.nodes:
            if address in (node.ip, node.name, node.hostname):
                return node
        return None

    def take_fault(self, node, method):
        from . import faults
        with self.lab.lock:
            return faults.take(self.faults, node, method)

    def _inventory(self):
        try:
            with open(os.path.join(self.lab.out_dir, "inventory.yaml")) as handle:
                return yaml.safe_load(handle) or {}
        except (OSError, yaml.YAMLError):
            return {}

    def talos_version(self):
        """The inventory's talos.version: one source of truth for the whole lab."""
        return str((self._inventory().get("talos") or {}).get("version") or "unknown")

    def kubernetes_endpoint(self):
        return self._kubernetes_endpoint or (self._inventory().get("talos") or {}).get("endpoint") \
            or "https://127.0.20.1:6443"

    def ca_key_from_trustd(self, ca_pem):
        for node in self.nodes:
            config = node.config
            if config and config.is_control_plane and config.ca_pem == ca_pem and config.ca_key is not None \
                    and node.stage == "running" and not node.rebooting:
                return config.ca_key
        return None

    def power_off_vm(self, node):
        """Reset without reboot powers the machine off: the Proxmox double shows it stopped."""
        with self.lab.lock:
            vm = self.lab.vms.get(node.vmid)
            if vm is not None and vm is node.vm and vm.status == "running":
                vm.stop()
        self.poke()

    # -- the thread ---------------------------------------------------------------------------

    def start(self):
        if not etcd.available():
            log.warning("etcd/etcdctl not found: control planes cannot bootstrap (apt-get install etcd-server etcd-client)")
        self.thread.start()
        self._ready.wait()

    def poke(self):
        """Something changed in the VMs: reconcile now (thread-safe)."""
        if self._poke is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._poke.set)

    def _run(self):
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._main())
        finally:
            self.loop.close()
            self._stopped.set()

    async def _main(self):
        self._poke = asyncio.Event()
        self._reconciling = asyncio.Lock()  # the tick and settle() must not follow the VMs at once
        for node in self.nodes:
            node.listener = Listener(self, node)
        self._ready.set()
        try:
            while not self._stopping:
                try:
                    await self._reconcile()
                except Exception:  # noqa: BLE001 - the nodes must keep following the VMs
                    log.exception("Talos nodes: following the VMs failed; trying again")
                try:
                    await asyncio.wait_for(self._poke.wait(), TICK)
                except asyncio.TimeoutError:
                    pass
                self._poke.clear()
        finally:
            for node in self.nodes:
                await node.power_off()
                await node.listener.close()

    _stopping = False

    async def _reconcile(self):
        async with self._reconciling:
            await self._follow_vms()

    async def _follow_vms(self):
        with self.lab.lock:
            seen = []
            for node in self.nodes:
                vm = self.lab.vms.get(node.vmid)
                running = vm is not None and vm.status == "running" and vm.agent_ready_at is not None
                seen.append((node, vm, running, vm.started_at if running else None,
                             vm.agent_ready_at if running else None))
        for node, vm, running, epoch, ready_at in seen:
            if vm is not node.vm:
                await node.power_off()
                node.attach(vm)
            if not running and node.epoch is not None:
                await node.power_off()
            elif running and epoch != node.epoch:
                await node.power_on(epoch, ready_at)

    def stop(self):
        """Stops every listener and etcd process; returns when they are gone."""
        if not self.thread.is_alive():
            return
        self._stopping = True
        self.poke()
        self._stopped.wait(30)

    # -- the control interface -----------------------------------------------------------------

    def reset(self):
        """POST /reset: default settings, no faults (the VMs' reset follows from the tick)."""
        with self.lab.lock:
            self.settings = dict(DEFAULT_SETTINGS)
            self.faults.clear()
            self.calls.clear()
        self.poke()

    def settle(self):
        """Returns once the nodes have followed the VMs as they are now (after POST /reset, no
        node of the old host is still listening when the answer goes out)."""
        if not self.thread.is_alive() or threading.current_thread() is self.thread:
            return
        asyncio.run_coroutine_threadsafe(self._reconcile(), self.loop).result(60)

    def record_call(self, node, method, mode):
        """One call that reached `node` (called on the Talos loop, like describe)."""
        self.calls.append({"node": node.name, "method": method, "mode": mode, "time": time.time()})

    def describe(self):
        future = asyncio.run_coroutine_threadsafe(self._describe(), self.loop)
        return future.result(10)

    async def _describe(self):
        with self.lab.lock:
            return {"port": self.port, "settings": dict(self.settings), "faults": list(self.faults),
                    "calls": list(self.calls),
                    "nodes": [n.describe() for n in self.nodes], "time": time.time()}
