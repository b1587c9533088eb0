"""The real etcd behind a control plane: keys written into it survive a snapshot, a reset that
wipes EPHEMERAL and a recovery from that snapshot; bad snapshots fail the etcd service the way
Talos fails it (Bootstrap itself answers before the restore runs)."""
import json
import os
import subprocess
import sys
import unittest

from grpclib.const import Status
from grpclib.exceptions import GRPCError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from talosbase import TalosTestCase  # noqa: E402
from taloshelper import machine_pb2, wait_for  # noqa: E402

EPHEMERAL_ONLY = machine_pb2.ResetRequest(graceful=False, reboot=True, system_partitions_to_wipe=[
    machine_pb2.ResetPartitionSpec(label="EPHEMERAL", wipe=True)])


def etcdctl(endpoint, *args):
    result = subprocess.run(["etcdctl", f"--endpoints={endpoint}", *args], env=dict(os.environ, ETCDCTL_API="3"),
                            capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise AssertionError(f"etcdctl {args} failed: {result.stderr.decode()}")
    return result.stdout


class RealEtcd(TalosTestCase):
    def setUp(self):
        super().setUp()
        self.power_on("cp-1")
        self.configure("cp-1")
        self.admin = self.mutual("cp-1")
        self.wait_service("cp-1", "etcd", "Preparing")

    def bootstrap(self, **flags):
        self.admin.call("Bootstrap", machine_pb2.BootstrapRequest(**flags))

    def endpoint(self):
        self.wait_service("cp-1", "etcd", "Running", healthy=True)
        return self.state("cp-1")["etcd"]["client_url"]

    def snapshot(self):
        data = b"".join(m.bytes for m in self.admin.call("EtcdSnapshot", machine_pb2.EtcdSnapshotRequest()))
        self.assertEqual(len(data) % 512, 32)  # talosctl's check: a bbolt db and its sha256
        return data

    def reset_ephemeral(self):
        self.admin.call("Reset", EPHEMERAL_ONLY)
        self.wait_mode("cp-1", "mutual")  # STATE kept: it comes back configured
        self.admin = self.mutual("cp-1")
        self.wait_service("cp-1", "etcd", "Preparing")

    def test_snapshot_reset_recover_reads_the_keys_back(self):
        self.bootstrap()
        endpoint = self.endpoint()
        etcdctl(endpoint, "put", "/homelab/drill", "before-the-disaster")
        etcdctl(endpoint, "put", "/homelab/second", "2")
        snapshot = self.snapshot()
        path = os.path.join(self.scratch, "db.snapshot")
        with open(path, "wb") as handle:
            handle.write(snapshot)
        status = json.loads(etcdctl(endpoint, "snapshot", "status", path, "-w", "json"))
        self.assertGreater(status["totalKey"], 0)

        self.reset_ephemeral()
        with self.assertRaises(GRPCError):
            self.admin.call("EtcdMemberList", machine_pb2.EtcdMemberListRequest(query_local=True))  # no etcd now
        self.admin.upload(snapshot)
        self.bootstrap(recover_etcd=True)
        endpoint = self.endpoint()
        self.assertEqual(etcdctl(endpoint, "get", "/homelab/drill", "--print-value-only").strip(), b"before-the-disaster")
        self.assertEqual(etcdctl(endpoint, "get", "/homelab/second", "--print-value-only").strip(), b"2")
        with self.assertRaises(GRPCError) as again:
            self.bootstrap(recover_etcd=True)
        self.assertEqual(again.exception.status, Status.ALREADY_EXISTS)

    def test_a_corrupted_snapshot_fails_the_etcd_service_not_the_call(self):
        self.bootstrap()
        etcdctl(self.endpoint(), "put", "k", "v")
        snapshot = bytearray(self.snapshot())
        self.reset_ephemeral()
        snapshot[-100] ^= 0xFF  # the sha256 trailer no longer matches
        self.admin.upload(bytes(snapshot))
        self.bootstrap(recover_etcd=True)  # answers before the restore runs, as Talos does
        failed = self.wait_service("cp-1", "etcd", "Failed")
        self.assertTrue(failed)
        self.assertIn("snapshot", self.state("cp-1")["services"]["etcd"]["message"])
        # Nothing was restored, so a fresh bootstrap is still possible.
        self.bootstrap()
        self.assertTrue(self.endpoint().startswith("http://127.0.0.1:"))

    def test_recovery_without_an_upload_fails_the_etcd_service(self):
        self.bootstrap(recover_etcd=True)
        self.wait_service("cp-1", "etcd", "Failed")
        self.assertIn("error verifying snapshot", self.state("cp-1")["services"]["etcd"]["message"])

    def test_a_full_reset_goes_back_to_maintenance(self):
        self.bootstrap()
        self.endpoint()
        self.admin.call("Reset", machine_pb2.ResetRequest(graceful=False, reboot=True))
        self.wait_mode("cp-1", "maintenance")
        node = self.state("cp-1")
        self.assertEqual((node["configured"], node["etcd"]), (False, None))

    def test_reset_without_reboot_powers_the_vm_off(self):
        self.admin.call("Reset", machine_pb2.ResetRequest(graceful=False, reboot=False))
        wait_for(lambda: self.lab.ok("GET", "/nodes/pve/qemu/201/status/current")["status"] == "stopped",
                 "VM 201 to stop after a reset without reboot")
        wait_for(lambda: self.state("cp-1")["stage"] == "off", "cp-1 to be off")
        self.assertIsNone(self.state("cp-1")["mode"])


if __name__ == "__main__":
    unittest.main()
