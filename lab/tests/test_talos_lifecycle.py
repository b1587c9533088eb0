"""Three Talos nodes from maintenance mode to a bootstrapped cluster, and every wrong order
answered with the reference's code (reference/talos-api.md §4, §6)."""
import gzip
import io
import os
import sys
import tarfile
import unittest

import yaml
from google.protobuf import empty_pb2
from grpclib.const import Status
from grpclib.exceptions import GRPCError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from talosbase import TalosTestCase  # noqa: E402
from taloshelper import cluster_pb2, machine_pb2  # noqa: E402

ALL = ("cp-1", "worker-1", "worker-2")


class Lifecycle(TalosTestCase):
    def test_maintenance_to_configured_to_bootstrapped(self):
        self.power_on(*ALL)
        version = self.maintenance("cp-1").call("Version")
        with open(self.lab.info["inventory"]) as handle:
            inventory = yaml.safe_load(handle)
        self.assertEqual(version.messages[0].version.tag, inventory["talos"]["version"])
        self.assertFalse(version.messages[0].HasField("metadata"))  # a node answers for itself

        self.configure(*ALL)
        admin = self.mutual("cp-1")
        services = {s.id: s.state for s in admin.call("ServiceList").messages[0].services}
        self.assertIn("apid", services)
        self.wait_service("cp-1", "etcd", "Preparing")

        admin.call("Bootstrap", machine_pb2.BootstrapRequest())
        with self.assertRaises(GRPCError) as second:
            admin.call("Bootstrap", machine_pb2.BootstrapRequest())
        self.assertEqual(second.exception.status, Status.ALREADY_EXISTS)
        self.assertEqual(second.exception.message, "etcd data directory is not empty")

        self.wait_service("cp-1", "etcd", "Running", healthy=True)
        members = admin.call("EtcdMemberList", machine_pb2.EtcdMemberListRequest(query_local=True))
        self.assertEqual([m.hostname for m in members.messages[0].members], ["cp-1"])
        status = admin.call("EtcdStatus").messages[0].member_status
        self.assertEqual(status.member_id, members.messages[0].members[0].id)
        self.assertTrue(status.protocol_version.startswith("3."))

        progress = admin.call("HealthCheck", cluster_pb2.HealthCheckRequest(
            wait_timeout={"seconds": 60},
            cluster_info=cluster_pb2.ClusterInfo(control_plane_nodes=["127.0.10.21"],
                                                 worker_nodes=["127.0.10.31", "127.0.10.32"])), stub="cluster")
        lines = [p.message for p in progress]
        self.assertIn("waiting for etcd to be healthy: OK", lines)
        self.assertEqual(lines[-1], "waiting for kubelet to be healthy: OK")
        discovered = admin.call("HealthCheck", cluster_pb2.HealthCheckRequest(wait_timeout={"seconds": 60}),
                                stub="cluster")
        self.assertEqual(discovered[0].message, "discovered nodes: ['127.0.10.21', '127.0.10.31', '127.0.10.32']")

    def test_applying_in_configured_mode(self):
        self.power_on("cp-1")
        self.configure("cp-1")
        admin = self.mutual("cp-1")
        same = admin.call("ApplyConfiguration", machine_pb2.ApplyConfigurationRequest(
            data=self.config("cp-1"), mode=machine_pb2.ApplyConfigurationRequest.AUTO))
        self.assertEqual((same.messages[0].mode, same.messages[0].mode_details),
                         (machine_pb2.ApplyConfigurationRequest.NO_REBOOT, "Applied configuration without a reboot"))
        old_ca = self.secrets.os
        from taloshelper import CA
        self.secrets.os = CA()  # a new OS CA cannot be applied live: AUTO reboots
        with self.assertRaises(GRPCError) as immediate:
            admin.call("ApplyConfiguration", machine_pb2.ApplyConfigurationRequest(
                data=self.config("cp-1"), mode=machine_pb2.ApplyConfigurationRequest.NO_REBOOT))
        self.assertEqual(immediate.exception.status, Status.INVALID_ARGUMENT)
        rotated = admin.call("ApplyConfiguration", machine_pb2.ApplyConfigurationRequest(
            data=self.config("cp-1"), mode=machine_pb2.ApplyConfigurationRequest.AUTO))
        self.assertEqual(rotated.messages[0].mode, machine_pb2.ApplyConfigurationRequest.REBOOT)
        self.wait_mode("cp-1", "mutual")
        self.assertTrue(self.mutual("cp-1").call("Version").messages[0].version.tag)  # the new CA's client
        self.assertNotEqual(old_ca.crt_pem, self.secrets.os.crt_pem)

    def test_kubeconfig_is_a_gzipped_tar_with_a_kubeconfig(self):
        self.power_on("cp-1")
        self.configure("cp-1")
        messages = self.mutual("cp-1").call("Kubeconfig")
        data = b"".join(m.bytes for m in messages)
        with tarfile.open(fileobj=io.BytesIO(gzip.decompress(data))) as tar:
            member = tar.getmember("kubeconfig")
            self.assertTrue(member.isfile())
            self.assertEqual(member.mode, 0o600)
            kubeconfig = yaml.safe_load(tar.extractfile(member).read())
        self.assertEqual(kubeconfig["clusters"][0]["cluster"]["server"], "https://127.0.20.1:6443")
        self.assertEqual(kubeconfig["current-context"], "admin@homelab")
        from cryptography import x509
        import base64
        cert = x509.load_pem_x509_certificate(base64.b64decode(kubeconfig["users"][0]["user"]["client-certificate-data"]))
        self.assertEqual(cert.issuer, self.secrets.k8s.cert.subject)
        self.secrets.k8s.cert.public_key().verify(cert.signature, cert.tbs_certificate_bytes,
                                                   __import__("cryptography.hazmat.primitives.asymmetric.ec",
                                                              fromlist=["ECDSA"]).ECDSA(cert.signature_hash_algorithm))

    def test_maintenance_serves_only_what_maintenance_serves(self):
        self.power_on("cp-1")
        client = self.maintenance("cp-1")
        self.assertTrue(client.call("ServiceList").messages[0].services)
        for method, request, code in (
                ("Bootstrap", machine_pb2.BootstrapRequest(), Status.PERMISSION_DENIED),
                ("Reset", machine_pb2.ResetRequest(), Status.PERMISSION_DENIED),
                ("Kubeconfig", empty_pb2.Empty(), Status.PERMISSION_DENIED),
                ("EtcdMemberList", machine_pb2.EtcdMemberListRequest(), Status.UNIMPLEMENTED),
                ("EtcdStatus", empty_pb2.Empty(), Status.UNIMPLEMENTED)):
            with self.subTest(method=method):
                with self.assertRaises(GRPCError) as refused:
                    client.call(method, request)
                self.assertEqual(refused.exception.status, code)
        with self.assertRaises(GRPCError) as upload:
            client.upload(b"x" * 10)
        self.assertEqual(upload.exception.status, Status.PERMISSION_DENIED)

    def test_bootstrap_on_a_worker_and_a_bad_config(self):
        self.power_on("worker-1", "cp-1")
        with self.assertRaises(GRPCError) as bad:
            self.maintenance("worker-1").call("ApplyConfiguration", machine_pb2.ApplyConfigurationRequest(
                data=b"version: v1alpha1\nmachine:\n  type: gateway\n"))
        self.assertEqual(bad.exception.status, Status.INVALID_ARGUMENT)
        self.assertEqual(self.state("worker-1")["mode"], "maintenance")
        self.configure("cp-1", "worker-1")  # the worker's apid certificate comes from cp-1's trustd
        worker = self.mutual("worker-1")
        self.wait_service("worker-1", "cri", "Running")
        with self.assertRaises(GRPCError) as refused:
            worker.call("Bootstrap", machine_pb2.BootstrapRequest())
        self.assertEqual(refused.exception.status, Status.UNIMPLEMENTED)

    def test_apply_while_rebooting_is_refused(self):
        self.power_on("cp-1")
        self.lab.control("POST", "/talos/settings", {"apply_grace": 30})  # keep the window open
        client = self.maintenance("cp-1")
        request = machine_pb2.ApplyConfigurationRequest(data=self.config("cp-1"))
        reply = client.call("ApplyConfiguration", request)
        self.assertEqual(reply.messages[0].mode, machine_pb2.ApplyConfigurationRequest.NO_REBOOT)
        with self.assertRaises(GRPCError) as again:
            client.call("ApplyConfiguration", request)
        self.assertEqual(again.exception.status, Status.FAILED_PRECONDITION)
        self.lab.control("POST", "/talos/settings", {"apply_grace": 0.02})

    def test_before_cri_and_ephemeral_are_up_bootstrap_and_recover_are_not_ready(self):
        self.power_on("cp-1")
        self.lab.control("POST", "/talos/settings", {"service_delay": 60})  # a slow boot: CRI not up yet
        self.configure("cp-1")
        admin = self.mutual("cp-1")
        with self.assertRaises(GRPCError) as early:
            admin.call("Bootstrap", machine_pb2.BootstrapRequest())
        self.assertEqual((early.exception.status, early.exception.message),
                         (Status.FAILED_PRECONDITION, "bootstrap is not available yet"))
        with self.assertRaises(GRPCError) as upload:
            admin.upload(b"\0" * 8192)
        self.assertEqual((upload.exception.status, upload.exception.message),
                         (Status.FAILED_PRECONDITION, "etcd service is not ready for recovery yet"))

    def test_health_check_runs_out_of_time_without_etcd(self):
        self.power_on("cp-1")
        self.configure("cp-1")
        self.wait_service("cp-1", "etcd", "Preparing")
        with self.assertRaises(GRPCError) as late:
            self.mutual("cp-1").call("HealthCheck", cluster_pb2.HealthCheckRequest(wait_timeout={"nanos": 200_000_000}),
                                     stub="cluster")
        self.assertEqual(late.exception.status, Status.DEADLINE_EXCEEDED)
        self.assertIn("etcd to be healthy", late.exception.message)

    def test_a_yaml_error_does_not_quote_the_config(self):
        self.power_on("cp-1")
        secret_line = b"version: v1alpha1\nmachine:\n  ca: {crt: c2VjcmV0LWtleS1tYXRlcmlhbA==: x}\n"
        with self.assertRaises(GRPCError) as bad:
            self.maintenance("cp-1").call("ApplyConfiguration", machine_pb2.ApplyConfigurationRequest(data=secret_line))
        self.assertEqual(bad.exception.status, Status.INVALID_ARGUMENT)
        self.assertIn("line 3", bad.exception.message)
        self.assertNotIn("c2VjcmV0", bad.exception.message)

    def test_node_routing_and_the_envelope(self):
        self.power_on(*ALL)
        self.configure(*ALL)
        admin = self.mutual("cp-1")
        via = admin.call("Version", metadata={"node": "127.0.10.31"})
        self.assertFalse(via.messages[0].HasField("metadata"))
        both = admin.call("ServiceList", metadata=[("nodes", "127.0.10.21"), ("nodes", "127.0.10.31")])
        self.assertEqual([m.metadata.hostname for m in both.messages], ["127.0.10.21", "127.0.10.31"])
        mixed = admin.call("EtcdStatus", metadata=[("nodes", "127.0.10.31")])
        self.assertEqual(mixed.messages[0].metadata.hostname, "127.0.10.31")
        self.assertEqual(mixed.messages[0].metadata.status.code, Status.UNIMPLEMENTED.value)
        self.assertIn("code = Unimplemented", mixed.messages[0].metadata.error)
        with self.assertRaises(GRPCError) as forwarded:
            self.mutual("worker-1").call("Version", metadata={"node": "127.0.10.21"})
        self.assertEqual((forwarded.exception.status, forwarded.exception.message),
                         (Status.PERMISSION_DENIED, "no request forwarding"))


if __name__ == "__main__":
    unittest.main()
