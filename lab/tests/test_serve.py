"""The lab process itself: the ready line, the inventory, the token file, restarts."""
import json
import os
import stat
import subprocess
import sys
import unittest

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # labhelper, however unittest was started
from labhelper import LAB_DIR, Lab


class ServeAndInventory(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.lab = Lab()

    @classmethod
    def tearDownClass(cls):
        cls.lab.stop()

    def test_ready_line(self):
        proxmox = self.lab.info["proxmox"]
        self.assertEqual(proxmox["url"], f"https://127.0.0.1:{proxmox['port']}/api2/json")
        self.assertEqual(proxmox["node"], "pve")
        self.assertRegex(proxmox["fingerprint"], r"^([0-9A-F]{2}:){31}[0-9A-F]{2}$")
        self.assertRegex(proxmox["token"], r"^root@pam!homelab=[0-9a-f-]{36}$")
        self.assertTrue(os.path.isabs(self.lab.info["inventory"]))
        self.assertTrue(proxmox["certificate"].endswith(".pem") and os.path.exists(proxmox["certificate"]))

    def test_token_file(self):
        path = self.lab.info["proxmox"]["token_file"]
        with open(path) as handle:
            self.assertEqual(handle.read(), self.lab.info["proxmox"]["token"])  # no newline
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)

    def test_inventory_shape(self):
        with open(self.lab.info["inventory"]) as handle:
            inventory = yaml.safe_load(handle)
        proxmox = inventory["proxmox"]
        self.assertEqual(inventory["site"], "lab")
        self.assertEqual(proxmox["api"], self.lab.info["proxmox"]["url"])
        self.assertEqual(proxmox["fingerprint"], self.lab.info["proxmox"]["fingerprint"])
        self.assertEqual(proxmox["token-id"], "root@pam!homelab")
        self.assertEqual(proxmox["token-file"], self.lab.info["proxmox"]["token_file"])
        self.assertEqual(proxmox["storage"], {"vm": "local-zfs", "iso": "local", "backups": "backup-hdd"})
        self.assertEqual(inventory["lab"]["control"], self.lab.info["control"])
        self.assertEqual([n["vmid"] for n in inventory["talos"]["nodes"]], [201, 211, 212])
        self.assertEqual(inventory["talos"]["nodes"][0]["mac"], "BC:24:11:00:02:01")
        self.assertEqual(inventory["gaming"][0]["secure-boot"], True)
        iso = inventory["talos"]["iso"]
        with open(os.path.join(self.lab.directory, "files", iso["filename"]), "rb") as handle:
            import hashlib
            self.assertEqual(iso["checksum"], hashlib.sha256(handle.read()).hexdigest())


class Restart(unittest.TestCase):
    """Each test runs a second `serve` on the first lab's directory (a host that rebooted)."""

    def setUp(self):
        self.first = Lab()

    def tearDown(self):
        self.first.stop()

    def serve_again(self, *extra):
        again = subprocess.run([sys.executable, os.path.join(LAB_DIR, "lab.py"), "serve", "--out", self.first.directory,
                                "--proxmox-port", "0", "--control-port", "0", "--watch-stdin", *extra],
                               input=b"", capture_output=True, timeout=60)
        return json.loads(again.stdout.splitlines()[0])["proxmox"]

    def test_a_restart_keeps_certificate_and_token(self):
        again = self.serve_again()
        self.assertEqual(again["fingerprint"], self.first.info["proxmox"]["fingerprint"])
        self.assertEqual(again["token"], self.first.info["proxmox"]["token"])

    def test_new_certificate_is_a_reinstalled_host(self):
        again = self.serve_again("--new-certificate")
        self.assertNotEqual(again["fingerprint"], self.first.info["proxmox"]["fingerprint"])
        self.assertEqual(again["token"], self.first.info["proxmox"]["token"])


if __name__ == "__main__":
    unittest.main()
