"""The double seen by a client we did not write: curl (libcurl + OpenSSL + nghttp2, what the
Swift client is built on) speaks gRPC to it over HTTP/2 and TLS, with an Ed25519 client
certificate in mutual TLS, and gets the generated messages and the grpc-status trailer."""
import os
import shutil
import struct
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from talosbase import TalosTestCase  # noqa: E402
from taloshelper import machine_pb2  # noqa: E402

CURL = shutil.which("curl")


def frame(message):
    body = message.SerializeToString()
    return b"\0" + struct.pack(">I", len(body)) + body


def unframe(data):
    messages = []
    while data:
        size = struct.unpack(">I", data[1:5])[0]
        messages.append(data[5:5 + size])
        data = data[5 + size:]
    return messages


@unittest.skipUnless(CURL, "curl is not installed (make deps installs it)")
class Curl(TalosTestCase):
    def curl(self, path, request, *tls):
        stem = os.path.join(self.scratch, f"curl-{os.urandom(4).hex()}")
        with open(stem + ".req", "wb") as handle:
            handle.write(frame(request))
        result = subprocess.run(
            [CURL, "--silent", "--show-error", "--http2", "--max-time", "60", "-X", "POST",
             "-H", "content-type: application/grpc", "-H", "te: trailers", "--data-binary", f"@{stem}.req",
             "-D", stem + ".headers", "-o", stem + ".body", *tls, f"https://127.0.10.21:{self.port}{path}"],
            capture_output=True, timeout=90, stdin=subprocess.DEVNULL)
        self.assertEqual(result.returncode, 0, result.stderr.decode())
        with open(stem + ".headers", "rb") as handle:
            headers = handle.read().decode().lower()
        with open(stem + ".body", "rb") as handle:
            return headers, unframe(handle.read())

    def test_maintenance_version_over_curl(self):
        self.power_on("cp-1")
        headers, messages = self.curl("/machine.MachineService/Version", _empty(), "-k")
        self.assertIn("grpc-status: 0", headers)
        reply = machine_pb2.VersionResponse.FromString(messages[0])
        self.assertTrue(reply.messages[0].version.tag)

    def test_mutual_tls_with_an_ed25519_client_certificate(self):
        self.power_on("cp-1")
        self.configure("cp-1")
        cert, key = self.secrets.os.client()
        paths = {}
        for name, data in (("ca", self.secrets.os.crt_pem), ("crt", cert), ("key", key)):
            paths[name] = os.path.join(self.scratch, f"curl-{name}.pem")
            with open(paths[name], "wb") as handle:
                handle.write(data)
        headers, messages = self.curl("/machine.MachineService/ServiceList", _empty(), "--cacert", paths["ca"],
                                      "--cert", paths["crt"], "--key", paths["key"])
        self.assertIn("grpc-status: 0", headers)
        services = machine_pb2.ServiceListResponse.FromString(messages[0]).messages[0].services
        self.assertIn("apid", [s.id for s in services])
        self.wait_service("cp-1", "etcd", "Preparing")
        tls = ("--cacert", paths["ca"], "--cert", paths["crt"], "--key", paths["key"])
        headers, messages = self.curl("/machine.MachineService/Bootstrap", machine_pb2.BootstrapRequest(), *tls)
        self.assertIn("grpc-status: 0", headers)
        self.assertEqual(len(messages), 1)
        headers, messages = self.curl("/machine.MachineService/Bootstrap", machine_pb2.BootstrapRequest(), *tls)
        self.assertIn("grpc-status: 6", headers)  # AlreadyExists, as a trailers-only answer
        self.assertIn("grpc-message: etcd data directory is not empty", headers)
        self.assertEqual(messages, [])


def _empty():
    from google.protobuf import empty_pb2
    return empty_pb2.Empty()


if __name__ == "__main__":
    unittest.main()
