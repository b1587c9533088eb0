"""Mutual TLS as apid enforces it: the client certificate must come from the OS CA of the
applied config, carry ExtKeyUsage exactly clientAuth, and its O= roles must allow the method
(reference/talos-api.md §2.1, §7)."""
import asyncio
import os
import ssl
import sys
import unittest

from cryptography.x509.oid import ExtendedKeyUsageOID
from google.protobuf import empty_pb2
from grpclib.const import Status
from grpclib.exceptions import GRPCError, StreamTerminatedError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from talosbase import TalosTestCase  # noqa: E402
from taloshelper import CA, machine_pb2  # noqa: E402

REFUSED = (OSError, ssl.SSLError, StreamTerminatedError, asyncio.TimeoutError, ConnectionError)


class MutualTLS(TalosTestCase):
    def setUp(self):
        super().setUp()
        self.power_on("cp-1")
        self.configure("cp-1")

    def test_admin_with_client_auth_only_is_served(self):
        reply = self.mutual("cp-1").call("Version")
        self.assertTrue(reply.messages[0].features.rbac)

    def test_a_certificate_from_another_ca_is_refused(self):
        stranger = CA()
        with self.assertRaises(REFUSED):
            self.mutual("cp-1", ca=stranger).call("Version", timeout=20)

    def test_server_and_client_auth_is_refused(self):
        both = (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH)
        with self.assertRaises(REFUSED):
            self.mutual("cp-1", usages=both).call("Version", timeout=20)
        self.assertIn("is missing the client auth extended key usage", self.state("cp-1")["refused_clients"][-1])
        self.assertTrue(self.mutual("cp-1").call("Version").messages[0].version.tag)  # the node still serves

    def test_no_extended_key_usage_is_refused(self):
        with self.assertRaises(REFUSED):
            self.mutual("cp-1", usages=()).call("Version", timeout=20)
        self.assertIn("is missing the client auth extended key usage", self.state("cp-1")["refused_clients"][-1])

    def test_no_client_certificate_is_refused(self):
        with self.assertRaises(REFUSED):
            self.maintenance("cp-1").call("Version", timeout=20)

    def test_reader_reads_but_may_not_act(self):
        reader = self.mutual("cp-1", roles=("os:reader",))
        self.assertTrue(reader.call("ServiceList").messages[0].services)
        for method, request in (("Bootstrap", machine_pb2.BootstrapRequest()), ("Kubeconfig", empty_pb2.Empty()),
                                ("Reset", machine_pb2.ResetRequest()), ("EtcdSnapshot", machine_pb2.EtcdSnapshotRequest()),
                                ("ApplyConfiguration", machine_pb2.ApplyConfigurationRequest(data=self.config("cp-1")))):
            with self.subTest(method=method):
                with self.assertRaises(GRPCError) as refused:
                    reader.call(method, request)
                self.assertEqual((refused.exception.status, refused.exception.message),
                                 (Status.PERMISSION_DENIED, "not authorized"))

    def test_etcd_backup_role_may_snapshot_but_not_bootstrap(self):
        backup = self.mutual("cp-1", roles=("os:etcd:backup",))
        with self.assertRaises(GRPCError) as refused:
            backup.call("Bootstrap", machine_pb2.BootstrapRequest())
        self.assertEqual(refused.exception.status, Status.PERMISSION_DENIED)
        with self.assertRaises(GRPCError) as not_running:
            backup.call("EtcdSnapshot", machine_pb2.EtcdSnapshotRequest())
        self.assertNotEqual(not_running.exception.status, Status.PERMISSION_DENIED)  # allowed, but no etcd yet

    def test_server_certificate_names_the_node_and_is_signed_by_the_os_ca(self):
        from cryptography import x509
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.load_verify_locations(cadata=self.secrets.os.crt_pem.decode())
        context.set_alpn_protocols(["h2"])
        cert, key = self.secrets.os.client()
        path = os.path.join(self.scratch, "probe")
        with open(path + ".pem", "wb") as handle:
            handle.write(cert)
        with open(path + "-key.pem", "wb") as handle:
            handle.write(key)
        context.load_cert_chain(path + ".pem", path + "-key.pem")
        import socket
        with socket.create_connection(("127.0.10.21", self.port), timeout=20) as raw:
            with context.wrap_socket(raw, server_hostname="127.0.10.21") as tls:  # verifies the IP SAN
                self.assertEqual(tls.selected_alpn_protocol(), "h2")
                served = x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))
        sans = served.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        self.assertIn("cp-1", sans.get_values_for_type(x509.DNSName))
        self.assertEqual(served.issuer, self.secrets.os.cert.subject)


if __name__ == "__main__":
    unittest.main()
