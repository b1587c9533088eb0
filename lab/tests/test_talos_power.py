"""Talos nodes follow their VMs: no VM, no listener; a stopped VM stops the listener and etcd;
a started VM boots again from its disk. Parallel labs never share a Talos port, and `lab.py
down` leaves no etcd behind."""
import asyncio
import json
import os
import socket
import subprocess
import sys
import shutil
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from labhelper import FAST, LAB_DIR, Lab  # noqa: E402
from talosbase import FAST_TALOS, TalosDriver, TalosTestCase  # noqa: E402
from taloshelper import Secrets, wait_for  # noqa: E402


def refused(address, port):
    try:
        with socket.create_connection((address, port), timeout=10):
            return False
    except ConnectionRefusedError:
        return True


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().split()[2] != "Z"


class Power(TalosTestCase):
    def test_no_vm_no_listener_and_a_stopped_vm_stops_it(self):
        self.assertTrue(refused("127.0.10.21", self.port))
        self.power_on("cp-1")
        self.assertFalse(refused("127.0.10.21", self.port))
        self.configure("cp-1")
        self.bootstrap("cp-1")
        self.wait_service("cp-1", "etcd", "Running", healthy=True)
        pid = self.state("cp-1")["etcd"]["pid"]

        self.lab.run_task("POST", "/nodes/pve/qemu/201/status/stop")
        wait_for(lambda: self.state("cp-1")["stage"] == "off", "cp-1 to go down with its VM")
        self.assertTrue(refused("127.0.10.21", self.port))
        wait_for(lambda: not alive(pid), "etcd to stop with the VM")

        self.lab.run_task("POST", "/nodes/pve/qemu/201/status/start")
        self.wait_mode("cp-1", "mutual")  # the applied config is on its disk
        self.wait_service("cp-1", "etcd", "Running", healthy=True)  # etcd data too: no bootstrap needed
        self.assertNotEqual(self.state("cp-1")["etcd"]["pid"], pid)

    def test_reboot_comes_back_from_the_disk(self):
        from taloshelper import machine_pb2
        self.power_on("cp-1")
        self.configure("cp-1")
        self.bootstrap("cp-1")
        self.wait_service("cp-1", "etcd", "Running", healthy=True)
        pid = self.state("cp-1")["etcd"]["pid"]
        reply = self.mutual("cp-1").call("Reboot", machine_pb2.RebootRequest())
        self.assertTrue(reply.messages[0].actor_id)
        wait_for(lambda: not alive(pid), "etcd to stop for the reboot")
        self.wait_mode("cp-1", "mutual")
        self.wait_service("cp-1", "etcd", "Running", healthy=True)
        self.assertNotEqual(self.state("cp-1")["etcd"]["pid"], pid)

    def test_a_destroyed_and_recreated_vm_is_a_blank_node(self):
        self.power_on("worker-1")
        self.lab.run_task("POST", "/nodes/pve/qemu/211/status/stop")
        self.lab.run_task("DELETE", "/nodes/pve/qemu/211")
        wait_for(lambda: self.state("worker-1")["stage"] == "off", "worker-1 off")
        self.power_on("worker-1")
        self.assertEqual(self.state("worker-1")["configured"], False)


class Processes(unittest.TestCase):
    def test_parallel_labs_have_their_own_ports(self):
        first, second = Lab(), Lab()
        try:
            self.assertNotEqual(first.info["talos"]["port"], second.info["talos"]["port"])
            for lab in (first, second):
                with open(lab.info["inventory"]) as handle:
                    text = handle.read()
                self.assertIn(f'talos-api: "127.0.10.21:{lab.info["talos"]["port"]}"', text)
        finally:
            first.stop()
            second.stop()

    def test_lab_down_leaves_no_etcd(self):
        out = tempfile.mkdtemp(prefix="homelab-lab-down-")
        python = sys.executable
        lab_py = os.path.join(LAB_DIR, "lab.py")
        try:
            up = subprocess.run([python, lab_py, "up", "--out", out, "--proxmox-port", "0", "--control-port", "0",
                                 "--no-ssh"], capture_output=True, timeout=120)
            self.assertEqual(up.returncode, 0, up.stderr.decode())
            with open(os.path.join(out, "lab.json")) as handle:
                info = json.load(handle)
            lab = _Attached(info)
            try:
                pid = lab.bootstrapped_etcd_pid()
                self.assertTrue(alive(pid))
            finally:
                lab.close()
            down = subprocess.run([python, lab_py, "down", "--out", out], capture_output=True, timeout=120)
            self.assertEqual(down.returncode, 0, down.stderr.decode())
            wait_for(lambda: not alive(pid), "etcd to be gone after lab down", timeout=30)
        finally:
            subprocess.run([python, lab_py, "down", "--out", out], capture_output=True, timeout=120)
            shutil.rmtree(out, ignore_errors=True)


class _Attached(TalosDriver):
    """A lab started by `lab.py up`, driven with the same helpers as the test cases."""

    def __init__(self, info):
        from labhelper import Lab as Client
        self.lab = Client.__new__(Client)  # talks to a running lab; does not start one
        self.lab.info = info
        self.lab.port = info["proxmox"]["port"]
        self.lab.token = info["proxmox"]["token"]
        self.lab.control_port = int(info["control"].rsplit(":", 1)[1])
        self.loop = asyncio.new_event_loop()
        self.port = info["talos"]["port"]
        self.scratch = tempfile.mkdtemp(prefix="homelab-talos-attached-")
        self.secrets = Secrets()
        self.clients = []
        self.lab.control("POST", "/settings", FAST)
        self.lab.control("POST", "/talos/settings", FAST_TALOS)

    def bootstrapped_etcd_pid(self):
        self.power_on("cp-1")
        self.configure("cp-1")
        self.bootstrap("cp-1")
        self.wait_service("cp-1", "etcd", "Running", healthy=True)
        return self.state("cp-1")["etcd"]["pid"]

    def close(self):
        self.close_clients()
        self.loop.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
