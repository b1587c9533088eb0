"""One Talos node double: what survives a reboot (its "disk": the applied config in STATE and
/var/lib in EPHEMERAL) and what lives for one boot (listener, services, the etcd process).

The node follows its Proxmox VM: it boots when the VM's guest agent would be up, listens in
maintenance mode until a config is applied, then "reboots" (does not listen for
`reboot_delay`) and comes back in mutual TLS; it stops everything when the VM stops. All of it
runs on the Talos thread's event loop (cluster.py); nothing here blocks that loop for long."""
import asyncio
import logging
import os
import shutil
import time
import uuid

from . import etcd, pki
from .services import ServiceTable

log = logging.getLogger("lab.talos")
ETCD_WAITING = ("etcd is waiting to join the cluster; if this node is the first control plane of the cluster, "
                "run bootstrap against it")


class Disk:
    """STATE (the applied config) and EPHEMERAL (/var/lib: etcd data, the uploaded snapshot)."""

    def __init__(self, root):
        self.root = root
        self.config = None
        self.peer_port = None
        os.makedirs(self.var_lib, exist_ok=True)

    @property
    def var_lib(self):
        return os.path.join(self.root, "var", "lib")

    @property
    def etcd_dir(self):
        return os.path.join(self.var_lib, "etcd")

    @property
    def snapshot_path(self):
        return os.path.join(self.var_lib, "etcd.snapshot")

    def wipe(self, state=True, ephemeral=True):
        if ephemeral:
            shutil.rmtree(os.path.join(self.root, "var"), ignore_errors=True)
            os.makedirs(self.var_lib, exist_ok=True)
            self.peer_port = None
        if state:
            self.config = None


class Node:
    def __init__(self, cluster, spec):
        self.cluster = cluster
        self.name = spec["name"]
        self.vmid = spec["vmid"]
        self.ip = spec["ip"]
        self.vm = None          # the lab VM whose disk this node holds (a new VM is a new disk)
        self.disk = None
        self.epoch = None       # the VM's started_at for the boot we follow
        self.stage = "off"      # off, booting, maintenance, running, rebooting
        self.boot_id = None
        self.services = ServiceTable()
        self.listener = None
        self.member = None
        self.rebooting = False  # an apply/reset/reboot was answered; the reboot is under way
        self.ephemeral_ready = False
        self.bootstrapping = False
        self.last_error = None
        self._tasks = set()

    # -- facts ----------------------------------------------------------------------------

    @property
    def config(self):
        return self.disk.config if self.disk else None

    @property
    def hostname(self):
        return (self.config.hostname if self.config else None) or self.name

    @property
    def is_control_plane(self):
        return bool(self.config and self.config.is_control_plane)

    @property
    def mode(self):
        """How the listener is configured now: None (not listening), maintenance or mutual."""
        return self.listener.mode if self.listener and self.listener.listening else None

    def spawn(self, coroutine):
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task):
        """A boot step that failed must say so (on stderr and in /talos/state), not vanish."""
        self._tasks.discard(task)
        if task.cancelled() or task.exception() is None:
            return
        error = task.exception()
        self.last_error = f"{type(error).__name__}: {error}"
        log.error("Talos node %s: %s", self.name, self.last_error, exc_info=error)

    async def _cancel_tasks(self):
        current = asyncio.current_task()
        tasks = [t for t in self._tasks if t is not current]
        for task in tasks:
            task.cancel()
        for task in tasks:
            try:
                await task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - a cancelled boot step
                pass

    # -- power ----------------------------------------------------------------------------

    def attach(self, vm):
        """The VM this node runs in; a different VM object (destroyed and created again,
        restored) brings an empty disk."""
        if vm is self.vm:
            return
        self.vm = vm
        if self.disk is not None:
            shutil.rmtree(self.disk.root, ignore_errors=True)
        self.disk = Disk(os.path.join(self.cluster.state_dir, f"{self.name}-{uuid.uuid4().hex[:8]}")) if vm else None

    async def power_on(self, epoch, ready_at):
        await self.power_off()
        self.epoch = epoch
        self.stage = "booting"
        self.spawn(self._boot_at(ready_at))

    async def power_off(self):
        await self._cancel_tasks()
        await self._stop_runtime()
        self.epoch = None
        self.stage = "off"

    async def _boot_at(self, ready_at):
        delay = ready_at - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        await self.boot()

    async def _stop_runtime(self):
        if self.listener is not None:
            await self.listener.stop()
        if self.member is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.member.stop)
            self.member = None
        self.services.clear()
        self.rebooting = False
        self.ephemeral_ready = False
        self.bootstrapping = False

    async def boot(self):
        self.boot_id = str(uuid.uuid4())
        config = self.config
        if config is None:
            self.services.maintenance()
            cert, key = pki.maintenance_identity(self.ip, self.name)
            await self.listener.start("maintenance", cert, key)
            self.stage = "maintenance"
            return
        self.services.configured(config.is_control_plane)
        ca_key = config.ca_key or await self._wait_for_trustd(config)
        cert, key = pki.server_identity(config.ca_cert, ca_key, self.ip, self.hostname, config.cert_sans)
        await self.listener.start("mutual", cert, key, ca=config.ca_pem)
        self.stage = "running"
        self.spawn(self._start_services())

    async def _wait_for_trustd(self, config):
        """A worker has the OS CA certificate only; its apid certificate comes from trustd on a
        running control plane of the same CA. Until one runs, apid waits and does not listen."""
        self.services.set("apid", "Waiting", "Waiting for apid certificate from trustd")
        while True:
            key = self.cluster.ca_key_from_trustd(config.ca_pem)
            if key is not None:
                self.services.set("apid", "Running", "Health check successful", healthy=True)
                return key
            await asyncio.sleep(0.1)

    async def _start_services(self):
        await asyncio.sleep(self.cluster.settings["service_delay"])
        self.ephemeral_ready = True
        self.services.set("cri", "Running", "Health check successful", healthy=True)
        self.services.set("kubelet", "Running", "Health check successful", healthy=True)
        if self.is_control_plane:
            if etcd.data_dir_empty(self.disk.etcd_dir):
                self.services.set("etcd", "Preparing", ETCD_WAITING)
            else:
                await self._run_etcd()

    async def reboot(self, wipe_state=False, wipe_ephemeral=False, power_off=False, grace=None):
        """After an answered apply/reset/reboot: the answer gets out first, then the node goes
        down (connections drop), wipes what it was told to, and boots again after reboot_delay
        (or powers the VM off)."""
        self.rebooting = True
        epoch = self.epoch
        await asyncio.sleep(self.cluster.settings["apply_grace"] if grace is None else grace)
        self.stage = "rebooting"
        await self._stop_runtime()
        self.rebooting = True
        if wipe_state or wipe_ephemeral:
            self.disk.wipe(state=wipe_state, ephemeral=wipe_ephemeral)
        if power_off:
            self.cluster.power_off_vm(self)
            return
        await asyncio.sleep(self.cluster.settings["reboot_delay"])
        if self.epoch == epoch:
            self.rebooting = False
            await self.boot()

    def reboot_later(self, **options):
        self.rebooting = True
        self.spawn(self.reboot(**options))

    # -- etcd -----------------------------------------------------------------------------

    def etcd_busy(self):
        """Bootstrap's "data directory is not empty" (or a bootstrap already under way)."""
        service = self.services.get("etcd")
        running = service is not None and service.state in ("Starting", "Running")
        return self.bootstrapping or running or not etcd.data_dir_empty(self.disk.etcd_dir)

    async def bootstrap(self, recover, skip_hash_check):
        """Runs after Bootstrap answered: a recovery's failure shows in the etcd service only."""
        self.bootstrapping = True
        try:
            if recover:
                self.services.set("etcd", "Preparing", "Running pre state")
                snapshot = self.disk.snapshot_path
                try:
                    await etcd.snapshot_status(snapshot)
                except etcd.EtcdError as error:
                    self.services.set("etcd", "Failed", f"Failed to run pre stage: error verifying snapshot: {error}",
                                      healthy=False)
                    return
                peer = self.disk.peer_port or etcd.free_port()
                self.disk.peer_port = peer
                shutil.rmtree(self.disk.etcd_dir, ignore_errors=True)
                try:
                    await etcd.restore(snapshot, self.disk.etcd_dir, self.hostname, f"http://127.0.0.1:{peer}",
                                       skip_hash_check)
                except etcd.EtcdError as error:
                    shutil.rmtree(self.disk.etcd_dir, ignore_errors=True)
                    self.services.set("etcd", "Failed", f"Failed to run pre stage: error recovering etcd from snapshot: {error}",
                                      healthy=False)
                    return
                os.remove(snapshot)
            await self._run_etcd()
        finally:
            self.bootstrapping = False

    async def _run_etcd(self):
        log = os.path.join(self.disk.root, "etcd.log")
        self.member = etcd.Member(self.hostname, self.disk.etcd_dir, log, self.disk.peer_port)
        self.disk.peer_port = self.member.peer_port
        self.member.start()
        self.services.set("etcd", "Running", "Started task etcd", healthy=False)
        self.spawn(self._watch_etcd(self.member))

    async def _watch_etcd(self, member):
        loop = asyncio.get_running_loop()
        healthy = False
        while self.member is member:
            if not member.running():
                self.services.set("etcd", "Failed", f"Task etcd exited: {member.last_log_line()[:300]}", healthy=False)
                return
            now = await loop.run_in_executor(None, member.healthy)
            if self.member is not member:
                return
            if now != healthy:
                healthy = now
                self.services.set("etcd", "Running", "Health check successful" if now else "Health check failed",
                                  healthy=now)
            await asyncio.sleep(0.1)

    def etcd_ready(self):
        service = self.services.get("etcd")
        return service is not None and service.ready and self.member is not None

    # -- the control interface --------------------------------------------------------------

    def describe(self):
        return {"name": self.name, "vmid": self.vmid, "ip": self.ip, "port": self.cluster.port,
                "stage": self.stage, "mode": self.mode, "rebooting": self.rebooting,
                "configured": self.config is not None,
                "refused_clients": list(self.listener.refusals) if self.listener else [],
                "last_error": self.last_error,
                "type": self.config.type if self.config else None,
                "etcd": {"client_url": self.member.client_url, "pid": self.member.process.pid}
                if self.member and self.member.running() else None,
                "services": {s.id: {"state": s.state, "healthy": s.healthy, "message": s.message}
                             for s in self.services.ordered()}}


