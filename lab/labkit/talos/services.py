"""The services a node's ServiceList shows and how their states move as the node boots,
bootstraps and reboots (state names as machined prints them, reference/talos-api.md §4.9)."""
import time

STATES = ("Initialized", "Starting", "Preparing", "Waiting", "Running", "Stopping", "Finished", "Failed", "Skipped")
MAINTENANCE = ("apid", "machined", "udevd")
CONFIGURED = ("apid", "containerd", "cri", "etcd", "kubelet", "machined", "trustd", "udevd")
WORKER_SKIPS = ("etcd", "trustd")


class Service:
    def __init__(self, ident):
        self.id = ident
        self.state = "Initialized"
        self.healthy = False
        self.unknown = True
        self.message = ""
        self.last_change = time.time()
        self.events = []  # [(msg, state, ts)], most recent last, as ServiceEvents lists them

    def set(self, state, message, healthy=None):
        if state not in STATES:
            raise ValueError(f"unknown service state {state!r}")
        now = time.time()
        if state != self.state or message != self.message:
            self.events.append((message, state, now))
            del self.events[:-20]
        self.state = state
        self.message = message
        if healthy is not None:
            if healthy != self.healthy or self.unknown:
                self.last_change = now
            self.healthy = healthy
            self.unknown = False

    @property
    def ready(self):
        return self.state == "Running" and self.healthy and not self.unknown


class ServiceTable:
    def __init__(self):
        self.services = {}

    def clear(self):
        self.services = {}

    def get(self, ident):
        return self.services.get(ident)

    def set(self, ident, state, message, healthy=None):
        service = self.services.setdefault(ident, Service(ident))
        service.set(state, message, healthy)
        return service

    def ordered(self):
        return [self.services[k] for k in sorted(self.services)]

    def maintenance(self):
        self.clear()
        for ident in MAINTENANCE:
            self.set(ident, "Running", "Health check successful", healthy=True)

    def configured(self, control_plane):
        """Right after a configured boot: the base services run, CRI is still starting, kubelet
        waits for it, etcd (control plane only) waits for CRI."""
        self.clear()
        for ident in ("apid", "machined", "udevd", "containerd"):
            self.set(ident, "Running", "Health check successful", healthy=True)
        self.set("cri", "Starting", "Starting service")
        self.set("kubelet", "Waiting", "Waiting for service \"cri\" to be \"up\"")
        if control_plane:
            self.set("trustd", "Running", "Health check successful", healthy=True)
            self.set("etcd", "Waiting", "Waiting for service \"cri\" to be \"up\"")
