"""The one shared state of the lab process: VMs, tasks, storages, faults, settings and the
request log, all behind one lock (HTTP handler threads and task threads share it)."""
import os
import threading
import time

from . import specs
from .errors import failed
from .schema import Schema
from .storage import Storages, backup_configs
from .tasks import Tasks
from .vm import generate_mac, generate_uuid

DEFAULT_SETTINGS = {"agent_delay": 2.0, "auth_failure_delay": 3.0}


class Lab:
    def __init__(self, out_dir, identity):
        self.out_dir = out_dir
        self.identity = identity  # token secret, certificate, fingerprint (identity.Identity)
        self.node = specs.NODE
        self.lock = threading.RLock()
        self.schema = Schema()
        self.tasks = Tasks(self.lock, self.node)
        self.storages = Storages(os.path.join(out_dir, "storage"))
        self.vms = {}
        self.settings = dict(DEFAULT_SETTINGS)
        self.faults = []       # see faults.py
        self.start_lies = []   # [{"vmid"?, "count"}]
        self.requests = []     # the API request log (no secrets)
        self.started = time.time()
        self.power_watchers = []  # called (without arguments) when a VM starts, stops or goes away
        self.reset_hooks = []     # called by reset() under the lock, e.g. the Talos nodes' faults and settings
        self.settle_hooks = []    # called by reset() after it, without the lock: wait for the doubles to follow
        self.reset(clear_files=False)  # a restarted lab keeps the ISOs it already has

    def reset(self, clear_files=True):
        """Back to a fresh host: no VMs, no tasks, no uploaded files, the seeded backups,
        default settings, no faults."""
        with self.lock:
            if clear_files:
                self.storages.clear_files()
            self.tasks.reset()
            self.vms.clear()
            self.storages.reset(backup_configs(generate_mac, generate_uuid))
            self.settings = dict(DEFAULT_SETTINGS)
            self.faults.clear()
            self.start_lies.clear()
            self.requests.clear()
            for hook in self.reset_hooks:
                hook()
        self.power_changed()
        for hook in self.settle_hooks:
            hook()

    def power_changed(self):
        """Tells the watchers (the Talos nodes) that VM power or existence changed."""
        for watcher in self.power_watchers:
            watcher()

    def vm(self, vmid):
        """The VM or the real 'does not exist' 500."""
        vm = self.vms.get(vmid)
        if vm is None:
            raise failed(f"Configuration file 'nodes/{self.node}/qemu-server/{vmid}.conf' does not exist")
        return vm

    def take_start_lie(self, vmid):
        for rule in self.start_lies:
            if rule.get("vmid") in (None, vmid) and rule.get("count", 1) > 0:
                rule["count"] = rule.get("count", 1) - 1
                self.start_lies = [r for r in self.start_lies if r.get("count", 1) > 0]
                return True
        return False

    def snapshot(self):
        """GET /state for the control interface."""
        with self.lock:
            vms = []
            for vmid in sorted(self.vms):
                vm = self.vms[vmid]
                vms.append({"vmid": vmid, "status": vm.status, "lock": vm.lock, "config": dict(vm.config),
                            "uptime": vm.uptime(),
                            "agent_ready": bool(vm.agent_ready_at and time.time() >= vm.agent_ready_at)})
            tasks = [self.tasks.tasks[u].summary() | {"log": list(self.tasks.tasks[u].log)} for u in self.tasks.order]
            return {"node": self.node, "vms": vms, "tasks": tasks,
                    "storages": self.storages.status_list(),
                    "disks": sorted(self.storages.disks),
                    "backups": sorted(self.storages.backups),
                    "settings": self.settings | {"task_durations": dict(self.tasks.durations)},
                    "faults": list(self.faults), "holds": list(self.tasks.holds),
                    "task_failures": list(self.tasks.failures), "start_lies": list(self.start_lies),
                    "fingerprint": self.identity.fingerprint}
