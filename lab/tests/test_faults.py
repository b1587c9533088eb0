"""Each fault kind of the control interface, seen from a client."""
import http.client
import os
import ssl
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # labhelper, however unittest was started
from labhelper import LabTestCase

CREATE = "POST /nodes/{node}/qemu"


class Faults(LabTestCase):
    def vms(self):
        return [vm["vmid"] for vm in self.lab.control("GET", "/state")["vms"]]

    def test_status_answers_without_doing_anything(self):
        self.lab.control("POST", "/faults", {"match": CREATE, "kind": "status", "status": 596,
                                             "reason": "Connection timed out", "count": 1})
        response = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201})
        self.assertEqual((response.status, response.reason), (596, "Connection timed out"))
        self.assertEqual(self.vms(), [])
        self.assertEqual(self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201}).status, 200)  # count used up

    def test_after_does_the_work_and_loses_the_answer(self):
        self.lab.control("POST", "/faults", {"match": "POST /nodes/pve/qemu", "kind": "after", "status": 599,
                                             "reason": "Too many redirections"})
        response = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201})
        self.assertEqual((response.status, response.reason), (599, "Too many redirections"))
        self.assertEqual(self.vms(), [201])
        tasks = self.lab.ok("GET", "/nodes/pve/tasks", {"vmid": 201, "typefilter": "qmcreate", "source": "all"})
        self.assertEqual(len(tasks), 1)  # how a client finds the lost UPID

    def test_drop_closes_without_an_answer(self):
        self.lab.control("POST", "/faults", {"match": CREATE, "kind": "drop"})
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError, ssl.SSLError)):
            self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201})
        self.assertEqual(self.vms(), [])

    def test_drop_after_does_the_work(self):
        self.lab.control("POST", "/faults", {"match": CREATE, "kind": "drop-after"})
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError, ssl.SSLError)):
            self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201})
        self.assertEqual(self.vms(), [201])

    def test_delay_answers_normally(self):
        self.lab.control("POST", "/faults", {"match": "GET /version", "kind": "delay", "seconds": 0.2})
        self.assertEqual(self.lab.ok("GET", "/version")["release"], "9.1")
        self.assertEqual(self.lab.control("GET", "/requests")[-1]["fault"], "delay")

    def test_no_worker_upid_leaves_a_locked_placeholder(self):
        self.lab.control("POST", "/faults", {"match": CREATE, "kind": "no-worker-upid"})
        response = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201})
        self.assertEqual((response.status, response.reason), (500, "got no worker upid - start worker failed"))
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/qemu/201/config")["lock"], "create")
        retry = self.lab.api("POST", "/nodes/pve/qemu", {"vmid": 201})
        self.assertEqual(retry.reason, "unable to create VM 201 - VM 201 already exists on node 'pve'")
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/tasks", {"source": "all"}), [])

    def test_failed_task_and_held_task_and_stopped_task(self):
        self.create_vm(201)
        self.lab.control("POST", "/tasks/fail", {"type": "qmstart", "exitstatus": "timeout waiting on systemd"})
        status = self.lab.run_task("POST", "/nodes/pve/qemu/201/status/start")
        self.assertEqual(status["exitstatus"], "timeout waiting on systemd")
        log = self.lab.ok("GET", f"/nodes/pve/tasks/{status['upid']}/log")
        self.assertEqual(log[-1]["t"], "TASK ERROR: timeout waiting on systemd")
        self.lab.control("POST", "/tasks/hold", {"type": "qmstart"})
        upid = self.lab.ok("POST", "/nodes/pve/qemu/201/status/start")
        active = self.lab.ok("GET", "/nodes/pve/tasks", {"source": "active"})
        self.assertEqual([t["upid"] for t in active], [upid])
        self.lab.ok("DELETE", f"/nodes/pve/tasks/{upid}")
        self.assertEqual(self.lab.wait_task(upid)["exitstatus"], "interrupted by signal")
        self.assertEqual(self.lab.ok("GET", "/nodes/pve/qemu/201/status/current")["status"], "stopped")

    def test_unknown_task(self):
        upid = "UPID:pve:00001234:00005678:6B000000:qmstart:201:root@pam!homelab:"
        response = self.lab.api("GET", f"/nodes/pve/tasks/{upid}/status")
        self.assertEqual((response.status, response.json["errors"]), (400, {"upid": "no such task"}))

    def test_certificate_rotation_is_a_new_host(self):
        before = self.lab.control("GET", "/state")["fingerprint"]
        rotated = self.lab.control("POST", "/certificate/rotate", {})
        self.assertNotEqual(rotated["fingerprint"], before)
        self.assertEqual(self.lab.ok("GET", "/nodes")[0]["ssl_fingerprint"], rotated["fingerprint"])  # pins new one
        with open(self.lab.info["inventory"]) as handle:
            self.assertIn(rotated["fingerprint"], handle.read())


if __name__ == "__main__":
    unittest.main()
