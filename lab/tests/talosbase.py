"""A lab with Talos nodes for a test class: VMs created and started through the Proxmox double,
nodes followed through the control interface, clients made with taloshelper."""
import asyncio
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from labhelper import LabTestCase  # noqa: E402
from taloshelper import NODES, Client, Secrets, machine_config, machine_pb2, wait_for  # noqa: E402

FAST_TALOS = {"reboot_delay": 0.05, "service_delay": 0.05, "apply_grace": 0.02}


class TalosDriver:
    """Drives the Talos nodes of a lab. Needs self.lab (labhelper.Lab), self.loop, self.port,
    self.scratch, self.secrets and self.clients."""

    def create_vm(self, vmid=201, **extra):
        params = {"vmid": vmid, "name": "cp-1", "scsi0": "local-zfs:64,ssd=1", "net0": "virtio,bridge=vmbr0",
                  "agent": "1", "cores": 4, "memory": "8192"}
        params.update(extra)
        status = self.lab.run_task("POST", "/nodes/pve/qemu", params)
        if status["exitstatus"] != "OK":
            raise AssertionError(f"creating VM {vmid} failed: {status['exitstatus']}")
        return status

    def close_clients(self):
        for client in self.clients:
            client.close()
        self.clients = []
        self.loop.run_until_complete(asyncio.sleep(0))

    def state(self, name):
        for node in self.lab.control("GET", "/talos/state")["nodes"]:
            if node["name"] == name:
                return node
        raise AssertionError(f"no Talos node {name}")

    def wait_mode(self, name, mode):
        def there():
            node = self.state(name)
            return node["mode"] == mode and not node["rebooting"]
        return wait_for(there, f"{name} to listen in {mode} mode")

    def wait_service(self, name, service, state, healthy=None):
        def ready():
            info = self.state(name)["services"].get(service)
            return info and info["state"] == state and (healthy is None or info["healthy"] == healthy)
        return wait_for(ready, f"{name}'s {service} to be {state}")

    def power_on(self, *names):
        for name in names:
            address, vmid = NODES[name]
            self.create_vm(vmid, name=name)
            self.lab.run_task("POST", f"/nodes/pve/qemu/{vmid}/status/start")
        for name in names:
            self.wait_mode(name, "maintenance")

    def maintenance(self, name):
        client = Client(self.loop, self.scratch, NODES[name][0], self.port)
        self.clients.append(client)
        return client

    def mutual(self, name, roles=("os:admin",), ca=None, usages=None, trust=None):
        """A configured-mode client with a certificate from `ca` (default: the cluster's OS CA)."""
        issuer = ca or self.secrets.os
        cert, key = issuer.client(roles, usages) if usages is not None else issuer.client(roles)
        client = Client(self.loop, self.scratch, NODES[name][0], self.port,
                        ca=(trust or self.secrets.os).crt_pem, cert=cert, key=key)
        self.clients.append(client)
        return client

    def config(self, name):
        return machine_config(self.secrets, name, "controlplane" if name.startswith("cp") else "worker")

    def apply(self, name):
        return self.maintenance(name).call("ApplyConfiguration", machine_pb2.ApplyConfigurationRequest(
            data=self.config(name), mode=machine_pb2.ApplyConfigurationRequest.AUTO))

    def bootstrap(self, name="cp-1", **flags):
        """Bootstrap once the node can take it (etcd waits for it), as talosctl's bootstrapper
        retries FailedPrecondition until CRI is up."""
        self.wait_service(name, "etcd", "Preparing")
        return self.mutual(name).call("Bootstrap", machine_pb2.BootstrapRequest(**flags))

    def configure(self, *names):
        for name in names:
            self.apply(name)
        for name in names:
            self.wait_mode(name, "mutual")


class TalosTestCase(TalosDriver, LabTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loop = asyncio.new_event_loop()
        cls.port = cls.lab.info["talos"]["port"]
        cls.scratch = tempfile.mkdtemp(prefix="homelab-talos-test-", dir=cls.lab.directory)

    @classmethod
    def tearDownClass(cls):
        cls.loop.close()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.lab.control("POST", "/talos/settings", FAST_TALOS)
        self.clients = []
        self.secrets = Secrets()

    def tearDown(self):
        self.close_clients()
