"""VM semantics of the real server: create lifecycle, locks, power, destroy, config."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # labhelper, however unittest was started
from labhelper import LabTestCase
from lab.labkit import specs

DOES_NOT_EXIST = "Configuration file 'nodes/pve/qemu-server/{}.conf' does not exist"


class CreateLifecycle(LabTestCase):
    def test_create_locks_then_writes_the_full_config(self):
        self.lab.control("POST", "/tasks/hold", {"type": "qmcreate", "vmid": 201})
        upid = self.lab.ok("POST", "/nodes/pve/qemu", {
            "vmid": 201, "name": "cp-1", "scsi0": "local-zfs:64,discard=on,ssd=1", "scsihw": "virtio-scsi-single",
            "net0": "virtio,bridge=vmbr0,macaddr=BC:24:11:00:02:01", "tags": "Talos;k8s,talos", "agent": "1",
            "cores": 4, "memory": "8192", "ide2": "none,media=cdrom"})
        self.assertRegex(upid, r"^UPID:pve:[0-9A-F]{8}:[0-9A-F]{8}:[0-9A-F]{8}:qmcreate:201:root@pam!homelab:$")
        placeholder = self.lab.ok("GET", "/nodes/pve/qemu/201/config")
        self.assertEqual(placeholder["lock"], "create")
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/qemu/201/status/current")["lock"], "create")
        running = self.lab.ok("GET", f"/nodes/pve/tasks/{upid}/status")
        self.assertEqual(running["status"], "running")
        self.assertNotIn("exitstatus", running)
        locked = self.lab.api("PUT", "/nodes/pve/qemu/201/config", {"cores": 2})
        self.assertEqual((locked.status, locked.reason), (500, "VM is locked (create)"))
        again = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201})
        self.assertEqual(again.reason, "unable to create VM 201 - VM 201 already exists on node 'pve'")

        self.lab.control("POST", "/tasks/release", {})
        self.assertEqual(self.lab.wait_task(upid)["exitstatus"], "OK")
        config = self.lab.ok("GET", "/nodes/pve/qemu/201/config")
        self.assertNotIn("lock", config)
        self.assertEqual(config["scsi0"], "local-zfs:vm-201-disk-0,discard=on,size=64G,ssd=1")
        self.assertEqual(config["net0"], "virtio=BC:24:11:00:02:01,bridge=vmbr0")
        self.assertEqual(config["tags"], "k8s;talos")
        self.assertEqual(config["cores"], 4)
        self.assertRegex(config["smbios1"], r"^uuid=[0-9a-f-]{36}$")
        self.assertIn("vmgenid", config)
        self.assertEqual(len(config["digest"]), 40)
        log = self.lab.ok("GET", f"/nodes/pve/tasks/{upid}/log")
        self.assertEqual(log[-1]["t"], "TASK OK")
        images = self.lab.ok("GET", "/nodes/pve/storage/local-zfs/content", {"vmid": 201})
        self.assertEqual([i["volid"] for i in images], ["local-zfs:vm-201-disk-0"])

    def test_gaming_vm_disks_and_pci_mapping(self):
        self.create_vm(301, name="windows", machine="q35", bios="ovmf", ostype="win11",
                       efidisk0="local-zfs:1,efitype=4m,pre-enrolled-keys=1", tpmstate0="local-zfs:1,version=v2.0",
                       hostpci0="mapping=amd-igpu,pcie=1,x-vga=1")
        config = self.lab.ok("GET", "/nodes/pve/qemu/301/config")
        self.assertEqual(config["efidisk0"], "local-zfs:vm-301-disk-1,efitype=4m,pre-enrolled-keys=1,size=528K")
        self.assertEqual(config["tpmstate0"], "local-zfs:vm-301-disk-2,size=4M,version=v2.0")
        self.assertEqual(config["hostpci0"], "mapping=amd-igpu,pcie=1,x-vga=1")

    def test_raw_pci_device_needs_root(self):
        response = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 301, "hostpci0": "0000:01:00,pcie=1"})
        self.assertEqual((response.status, response.reason),
                         (500, "only root can set 'hostpci0' config for non-mapped devices"))
        self.assertNotIn(301, [vm["vmid"] for vm in self.lab.control("GET", "/state")["vms"]])

    def test_pcie_without_q35_fails_at_start(self):
        self.create_vm(302, hostpci0="mapping=amd-igpu,pcie=1")
        status = self.lab.run_task("POST", "/nodes/pve/qemu/302/status/start")
        self.assertEqual(status["exitstatus"], "q35 machine model is not enabled")

    def test_iso_needs_media_cdrom_and_missing_volumes_fail_the_task(self):
        self.lab.run_task("POST", "/nodes/pve/storage/local/download-url", {
            "url": self.lab.info["control"] + "/files/" + specs.TALOS_ISO, "content": "iso",
            "filename": "talos.iso"})
        status = self.lab.run_task("POST", "/nodes/pve/qemu", {"vmid": 201, "ide2": "local:iso/talos.iso"})
        self.assertEqual(status["exitstatus"], "explicit 'media=cdrom' is required for iso images")
        self.assertEqual(self.lab.api("GET", "/nodes/pve/qemu/201/config").reason, DOES_NOT_EXIST.format(201))
        status = self.lab.run_task("POST", "/nodes/pve/qemu", {"vmid": 201, "ide2": "local:iso/nope.iso,media=cdrom",
                                                               "scsi0": "local-zfs:8"})
        self.assertEqual(status["exitstatus"], "volume 'local:iso/nope.iso' does not exist")
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/storage/local-zfs/content"), [])  # freed again
        self.create_vm(201, ide2="local:iso/talos.iso,media=cdrom")

    def test_missing_vm_is_a_500_that_says_does_not_exist(self):
        for method, path in (("GET", "/config"), ("GET", "/status/current"), ("POST", "/status/start"),
                             ("DELETE", "")):
            response = self.lab.api(method, f"/nodes/pve/qemu/999{path}")
            self.assertEqual((response.status, response.reason), (500, DOES_NOT_EXIST.format(999)))


class Power(LabTestCase):
    def test_start_stop_and_their_idempotency(self):
        self.create_vm(201)
        self.assertEqual(self.lab.run_task("POST", "/nodes/pve/qemu/201/status/start")["exitstatus"], "OK")
        current = self.lab.ok("GET", "/nodes/pve/qemu/201/status/current")
        self.assertEqual((current["status"], current["qmpstatus"], current["agent"]), ("running", "running", 1))
        self.assertEqual(self.lab.run_task("POST", "/nodes/pve/qemu/201/status/start")["exitstatus"],
                         "VM 201 already running")
        destroy = self.lab.api("DELETE", "/nodes/pve/qemu/201")
        self.assertEqual(destroy.reason, "VM 201 is running - destroy failed")
        self.assertEqual(self.lab.run_task("POST", "/nodes/pve/qemu/201/status/shutdown")["exitstatus"], "OK")
        self.assertEqual(self.lab.run_task("POST", "/nodes/pve/qemu/201/status/stop")["exitstatus"], "OK")
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/qemu/201/status/current")["status"], "stopped")
        self.assertEqual(self.lab.run_task("POST", "/nodes/pve/qemu/201/status/reboot")["exitstatus"],
                         "VM 201 not running")

    def test_start_of_a_locked_vm_fails_in_the_task(self):
        self.lab.control("POST", "/tasks/hold", {"type": "qmcreate"})
        create = self.lab.ok("POST", "/nodes/pve/qemu", {"vmid": 201})
        start = self.lab.ok("POST", "/nodes/pve/qemu/201/status/start")
        self.lab.control("POST", "/tasks/release", {})
        self.assertEqual(self.lab.wait_task(start)["exitstatus"], "VM is locked (create)")
        self.assertEqual(self.lab.wait_task(create)["exitstatus"], "OK")

    def test_start_that_lies(self):
        self.create_vm(201)
        self.lab.control("POST", "/start-lies", {"vmid": 201, "count": 1})
        self.assertEqual(self.lab.run_task("POST", "/nodes/pve/qemu/201/status/start")["exitstatus"], "OK")
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/qemu/201/status/current")["status"], "stopped")
        self.assertEqual(self.lab.run_task("POST", "/nodes/pve/qemu/201/status/start")["exitstatus"], "OK")
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/qemu/201/status/current")["status"], "running")

    def test_destroy_frees_disks(self):
        self.create_vm(201, scsi1="local-zfs:4")
        self.lab.run_task("POST", "/nodes/pve/qemu/201/config", {"delete": "scsi1"})
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/qemu/201/config")["unused0"], "local-zfs:vm-201-disk-1")
        status = self.lab.run_task("DELETE", "/nodes/pve/qemu/201", {"purge": 1, "destroy-unreferenced-disks": 1})
        self.assertEqual(status["exitstatus"], "OK")
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/storage/local-zfs/content"), [])
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/qemu"), [])


class GuestAgent(LabTestCase):
    def test_agent_preconditions_and_answer(self):
        self.create_vm(211, agent="0", net0="virtio=BC:24:11:00:02:11,bridge=vmbr0")
        path = "/nodes/pve/qemu/211/agent/network-get-interfaces"
        self.assertEqual(self.lab.api("GET", path).reason, "No QEMU guest agent configured")
        self.lab.ok("PUT", "/nodes/pve/qemu/211/config", {"agent": "enabled=1"})
        self.assertEqual(self.lab.api("GET", path).reason, "VM 211 is not running")
        self.lab.control("POST", "/settings", {"agent_delay": 3600})
        self.lab.run_task("POST", "/nodes/pve/qemu/211/status/start")
        self.assertEqual(self.lab.api("GET", path).reason, "QEMU guest agent is not running")
        self.lab.run_task("POST", "/nodes/pve/qemu/211/status/stop")
        self.lab.control("POST", "/settings", {"agent_delay": 0})
        self.lab.run_task("POST", "/nodes/pve/qemu/211/status/start")
        result = self.lab.ok("GET", path)["result"]
        by_name = {i["name"]: i for i in result}
        self.assertEqual(set(by_name), {"lo", "eth0", "cni0"})
        self.assertEqual(by_name["eth0"]["hardware-address"], "bc:24:11:00:02:11")
        addresses = {(a["ip-address-type"], a["ip-address"], a["prefix"]) for a in by_name["eth0"]["ip-addresses"]}
        self.assertIn(("ipv4", "127.0.10.31", 24), addresses)
        self.assertIn(("ipv6", "fe80::be24:11ff:fe00:211", 64), addresses)


class Config(LabTestCase):
    def test_digest_and_delete(self):
        self.create_vm(201, description="first")
        config = self.lab.ok("GET", "/nodes/pve/qemu/201/config")
        stale = self.lab.api("PUT", "/nodes/pve/qemu/201/config", {"cores": 2, "digest": "0" * 40})
        self.assertEqual(stale.reason, "checksum mismatch (file change by other user?)")
        self.lab.ok("PUT", "/nodes/pve/qemu/201/config", {"cores": 2, "delete": "description", "digest": config["digest"]})
        changed = self.lab.ok("GET", "/nodes/pve/qemu/201/config")
        self.assertEqual(changed["cores"], 2)
        self.assertNotIn("description", changed)
        self.assertNotEqual(changed["digest"], config["digest"])
        upid = self.lab.ok("POST", "/nodes/pve/qemu/201/config", {"tags": "B;a"})
        self.assertEqual(self.lab.wait_task(upid)["type"], "qmconfig")
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/qemu/201/config")["tags"], "a;b")

    def test_background_delay_waits_for_the_config_task(self):
        self.create_vm(201)
        self.assertIsNone(self.lab.ok("POST", "/nodes/pve/qemu/201/config", {"cores": 3, "background_delay": 5}))
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/qemu/201/config")["cores"], 3)
        failing = self.lab.api("POST", "/nodes/pve/qemu/201/config", {"net1": "virtio,bridge=vmbr9", "background_delay": 5})
        self.assertEqual((failing.status, failing.reason), (500, "failed to update VM 201: bridge 'vmbr9' does not exist"))

    def test_clone_gets_new_identity_and_lock_clone(self):
        self.create_vm(201, net0="virtio=BC:24:11:00:02:01,bridge=vmbr0")
        self.lab.control("POST", "/tasks/hold", {"type": "qmclone"})
        upid = self.lab.ok("POST", "/nodes/pve/qemu/201/clone", {"newid": 250, "name": "copy"})
        self.assertEqual(self.lab.api("POST", "/nodes/pve/qemu/250/status/start").status, 200)
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/qemu/250/config")["lock"], "clone")
        exists = self.lab.api("POST", "/nodes/pve/qemu/201/clone", {"newid": 250})
        self.assertEqual(exists.reason, "unable to create VM 250: config file already exists")
        self.lab.control("POST", "/tasks/release", {})
        self.assertEqual(self.lab.wait_task(upid)["exitstatus"], "OK")
        source = self.lab.ok("GET", "/nodes/pve/qemu/201/config")
        clone = self.lab.ok("GET", "/nodes/pve/qemu/250/config")
        self.assertEqual(clone["name"], "copy")
        self.assertEqual(clone["scsi0"], "local-zfs:vm-250-disk-0,size=64G,ssd=1")
        self.assertNotEqual(clone["net0"], source["net0"])
        self.assertNotEqual(clone["smbios1"], source["smbios1"])

    def test_nextid(self):
        self.assertEqual(self.lab.ok("GET", "/cluster/nextid"), 100)
        self.create_vm(100)
        self.assertEqual(self.lab.ok("GET", "/cluster/nextid"), 101)
        taken = self.lab.api("GET", "/cluster/nextid", {"vmid": 100})
        self.assertEqual((taken.status, taken.json["errors"]), (400, {"vmid": "VM 100 already exists"}))


if __name__ == "__main__":
    unittest.main()
