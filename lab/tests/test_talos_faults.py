"""Each Talos fault kind of the control interface, seen from a client."""
import os
import sys
import unittest

from grpclib.const import Status
from grpclib.exceptions import GRPCError, StreamTerminatedError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from talosbase import TalosTestCase  # noqa: E402
from taloshelper import machine_pb2  # noqa: E402


class TalosFaults(TalosTestCase):
    def setUp(self):
        super().setUp()
        self.power_on("cp-1")
        self.configure("cp-1")
        self.admin = self.mutual("cp-1")

    def fault(self, **rule):
        return self.lab.control("POST", "/talos/faults", rule)

    def pending(self):
        return self.lab.control("GET", "/talos/faults")

    def test_unavailable_answers_unavailable_once(self):
        self.fault(node="cp-1", method="Version", kind="unavailable")
        with self.assertRaises(GRPCError) as failed:
            self.admin.call("Version")
        self.assertEqual(failed.exception.status, Status.UNAVAILABLE)
        self.assertTrue(self.admin.call("Version").messages[0].version.tag)  # count used up
        self.assertEqual(self.pending(), [])

    def test_not_ready_uses_the_methods_own_error(self):
        self.fault(node="127.0.10.21", method="/machine.MachineService/Bootstrap", kind="not-ready", count=2)
        for _ in range(2):
            with self.assertRaises(GRPCError) as failed:
                self.admin.call("Bootstrap", machine_pb2.BootstrapRequest())
            self.assertEqual((failed.exception.status, failed.exception.message),
                             (Status.FAILED_PRECONDITION, "bootstrap is not available yet"))
        self.bootstrap("cp-1")  # then it works
        self.wait_service("cp-1", "etcd", "Running", healthy=True)

    def test_not_ready_with_an_explicit_code(self):
        self.fault(method="ServiceList", kind="not-ready", code="UNAVAILABLE", message="apid is restarting")
        with self.assertRaises(GRPCError) as failed:
            self.admin.call("ServiceList")
        self.assertEqual((failed.exception.status, failed.exception.message), (Status.UNAVAILABLE, "apid is restarting"))

    def test_slow_answers_normally(self):
        self.fault(node="cp-1", method="Version", kind="slow", seconds=0.2)
        self.assertTrue(self.admin.call("Version").messages[0].version.tag)
        self.assertEqual(self.pending(), [])

    def test_reset_ends_a_stream_early_without_trailers(self):
        self.bootstrap("cp-1")
        self.wait_service("cp-1", "etcd", "Running", healthy=True)
        self.fault(node="cp-1", method="EtcdSnapshot", kind="reset", after=2)
        with self.assertRaises((StreamTerminatedError, GRPCError)) as reset:
            self.admin.call("EtcdSnapshot", machine_pb2.EtcdSnapshotRequest())
        if isinstance(reset.exception, GRPCError):
            self.assertNotEqual(reset.exception.status, Status.OK)
        whole = self.admin.call("EtcdSnapshot", machine_pb2.EtcdSnapshotRequest())
        self.assertEqual(sum(len(m.bytes) for m in whole) % 512, 32)

    def test_reset_of_a_unary_call(self):
        self.fault(method="Version", kind="reset")
        with self.assertRaises((StreamTerminatedError, GRPCError)):
            self.admin.call("Version")

    def test_bad_rules_are_refused_and_faults_can_be_cleared(self):
        with self.assertRaises(AssertionError):
            self.fault(kind="explode")
        self.fault(kind="slow", seconds=5, count=3)
        self.lab.control("DELETE", "/talos/faults")
        self.assertEqual(self.pending(), [])


if __name__ == "__main__":
    unittest.main()
