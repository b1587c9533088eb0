"""Restore from the seeded vzdump backups."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # labhelper, however unittest was started
from labhelper import LabTestCase

NEWEST_201 = "backup-hdd:backup/vzdump-qemu-201-2026_11_26-03_00_00.vma.zst"


class Restore(LabTestCase):
    def test_backups_are_listed_per_vmid(self):
        backups = self.lab.ok("GET", "/nodes/pve/storage/backup-hdd/content", {"content": "backup", "vmid": 201})
        self.assertEqual(len(backups), 2)
        newest = max(backups, key=lambda b: b["ctime"])
        self.assertEqual(newest["volid"], NEWEST_201)
        self.assertEqual((newest["format"], newest["content"], newest["subtype"], newest["vmid"]),
                         ("vma.zst", "backup", "qemu", 201))
        vmids = {b["vmid"] for b in self.lab.ok("GET", "/nodes/pve/storage/backup-hdd/content")}
        self.assertEqual(vmids, {201, 211, 212, 301})

    def test_restore_brings_back_the_backed_up_config_with_overrides(self):
        status = self.lab.run_task("POST", "/nodes/pve/qemu", {"vmid": 201, "archive": NEWEST_201,
                                                               "storage": "local-zfs", "cores": 2})
        self.assertEqual((status["type"], status["exitstatus"]), ("qmrestore", "OK"))
        config = self.lab.ok("GET", "/nodes/pve/qemu/201/config")
        self.assertEqual(config["name"], "cp-1")
        self.assertEqual(config["cores"], 2)
        self.assertEqual(config["net0"], "virtio=BC:24:11:00:02:01,bridge=vmbr0")  # no `unique`: same MAC
        self.assertEqual(config["scsi0"], "local-zfs:vm-201-disk-0,discard=on,iothread=1,size=64G,ssd=1")
        self.assertEqual(config["description"], "backup 2 of cp-1")

    def test_restore_rules(self):
        conflict = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201, "archive": NEWEST_201, "scsi0": "local-zfs:8"})
        self.assertEqual(conflict.json["errors"], {"scsi0": "option conflicts with option 'archive'"})
        missing = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201, "archive": "backup-hdd:backup/nope.vma.zst"})
        self.assertEqual(missing.status, 500)
        self.lab.run_task("POST", "/nodes/pve/qemu", {"vmid": 201, "archive": NEWEST_201})
        exists = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201, "archive": NEWEST_201})
        self.assertEqual(exists.reason, "unable to restore VM 201 - VM 201 already exists on node 'pve'")
        self.lab.run_task("POST", "/nodes/pve/qemu/201/status/start")
        running = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201, "archive": NEWEST_201, "force": 1})
        self.assertEqual(running.status, 500)
        self.lab.run_task("POST", "/nodes/pve/qemu/201/status/stop")
        unique = self.lab.run_task("POST", "/nodes/pve/qemu", {"vmid": 201, "archive": NEWEST_201, "force": 1,
                                                               "unique": 1})
        self.assertEqual(unique["exitstatus"], "OK")
        config = self.lab.ok("GET", "/nodes/pve/qemu/201/config")
        self.assertNotEqual(config["net0"], "virtio=BC:24:11:00:02:01,bridge=vmbr0")
        disks = [i["volid"] for i in self.lab.ok("GET", "/nodes/pve/storage/local-zfs/content")]
        self.assertEqual(disks, ["local-zfs:vm-201-disk-0"])  # the old disk went, the new one took its name

    def test_a_failed_restore_leaves_a_marked_unlocked_config(self):
        self.lab.control("POST", "/tasks/fail", {"type": "qmrestore", "vmid": 211,
                                                 "exitstatus": "zstd: error 70 : Write error : No space left on device"})
        status = self.lab.run_task("POST", "/nodes/pve/qemu", {
            "vmid": 211, "archive": "backup-hdd:backup/vzdump-qemu-211-2026_11_26-03_00_00.vma.zst"})
        self.assertIn("No space left on device", status["exitstatus"])
        config = self.lab.ok("GET", "/nodes/pve/qemu/211/config")
        self.assertNotIn("lock", config)
        self.assertIn("failed", config["description"])
        self.assertEqual(self.lab.api("POST", "/nodes/pve/qemu", {
            "vmid": 211, "archive": "backup-hdd:backup/vzdump-qemu-211-2026_11_26-03_00_00.vma.zst"}).status, 500)
        retry = self.lab.run_task("POST", "/nodes/pve/qemu", {
            "vmid": 211, "force": 1, "archive": "backup-hdd:backup/vzdump-qemu-211-2026_11_26-03_00_00.vma.zst"})
        self.assertEqual(retry["exitstatus"], "OK")


if __name__ == "__main__":
    unittest.main()
