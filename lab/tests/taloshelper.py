"""The tests' own Talos client (grpclib over Python's ssl, i.e. OpenSSL, which does Ed25519 in
mutual TLS) and what a talosctl user would have: an OS CA, client certificates, machine configs.
It is written from the reference (reference/talos-api.md), independently of the double's code:
it only shares the generated messages and stubs."""
import asyncio
import base64
import datetime
import os
import ssl
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import labhelper  # noqa: E402,F401 - puts the repository on sys.path

import yaml  # noqa: E402
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, ed25519  # noqa: E402
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID  # noqa: E402
from grpclib.client import Channel  # noqa: E402
from google.protobuf import empty_pb2  # noqa: E402

from lab.talos_proto import cluster_grpc, cluster_pb2, common_pb2, machine_grpc, machine_pb2  # noqa: E402,F401

NODES = {"cp-1": ("127.0.10.21", 201), "worker-1": ("127.0.10.31", 211), "worker-2": ("127.0.10.32", 212)}


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _pem_cert(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def _pem_key(key, label=None):
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return pem.replace(b"PRIVATE KEY", label.encode()) if label else pem


def _digest(key):
    return None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()


class CA:
    def __init__(self, kind="ed25519", organization="talos"):
        self.key = ed25519.Ed25519PrivateKey.generate() if kind == "ed25519" else ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization)])
        self.cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(self.key.public_key())
                     .serial_number(x509.random_serial_number())
                     .not_valid_before(_now() - datetime.timedelta(minutes=5))
                     .not_valid_after(_now() + datetime.timedelta(days=3650))
                     .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                     .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=False,
                                                  content_commitment=False, key_encipherment=False,
                                                  data_encipherment=False, key_agreement=False,
                                                  encipher_only=False, decipher_only=False), critical=True)
                     .sign(self.key, _digest(self.key)))

    @property
    def crt_pem(self):
        return _pem_cert(self.cert)

    def key_pem(self, label=None):
        return _pem_key(self.key, label)

    def client(self, roles=("os:admin",), usages=(ExtendedKeyUsageOID.CLIENT_AUTH,)):
        """(certificate PEM, key PEM) like talosctl's admin certificate: Ed25519, O=roles."""
        key = ed25519.Ed25519PrivateKey.generate()
        subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, r) for r in roles])
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(self.cert.subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(_now() - datetime.timedelta(minutes=5))
                   .not_valid_after(_now() + datetime.timedelta(days=365))
                   .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=False, crl_sign=False,
                                                content_commitment=False, key_encipherment=False,
                                                data_encipherment=False, key_agreement=False,
                                                encipher_only=False, decipher_only=False), critical=True))
        if usages:
            builder = builder.add_extension(x509.ExtendedKeyUsage(list(usages)), critical=False)
        return _pem_cert(builder.sign(self.key, _digest(self.key))), _pem_key(key)


class Secrets:
    """The secrets a config needs: Ed25519 OS CA, ECDSA Kubernetes CA, cluster id."""

    def __init__(self):
        self.os = CA("ed25519", "talos")
        self.k8s = CA("ecdsa", "kubernetes")
        self.cluster_id = base64.urlsafe_b64encode(os.urandom(32)).decode()


def b64(data):
    return base64.b64encode(data).decode()


def machine_config(secrets, name, kind, endpoint="https://127.0.20.1:6443", extra_sans=()):
    """A machine config as gen config writes it (the parts the double reads), plus a second
    document as contracts >= 1.12 emit."""
    machine_ca = {"crt": b64(secrets.os.crt_pem)}
    if kind != "worker":
        machine_ca["key"] = b64(secrets.os.key_pem("ED25519 PRIVATE KEY"))
    config = {
        "version": "v1alpha1", "debug": False, "persist": True,
        "machine": {"type": kind, "token": "abcdef.0123456789abcdef", "ca": machine_ca,
                    "certSANs": list(extra_sans), "network": {"hostname": name},
                    "install": {"disk": "/dev/sda"},
                    "features": {"rbac": True, "apidCheckExtKeyUsage": True}},
        "cluster": {"id": secrets.cluster_id, "secret": b64(os.urandom(32)), "clusterName": "homelab",
                    "controlPlane": {"endpoint": endpoint}, "token": "abcdef.0123456789abcdef",
                    "ca": {"crt": b64(secrets.k8s.crt_pem)}},
    }
    if kind != "worker":
        # Talos writes ECDSA keys as SEC1 (`EC PRIVATE KEY`).
        config["cluster"]["ca"]["key"] = b64(secrets.k8s.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
    second = {"apiVersion": "v1alpha1", "kind": "HostnameConfig", "auto": "stable"}
    return yaml.safe_dump_all([config, second], sort_keys=False).encode()


class Client:
    """One connection to one node: maintenance (no verification, no client certificate) or
    mutual TLS (OS CA + client certificate). `run` drives the calls on the test's loop."""

    def __init__(self, loop, directory, address, port, ca=None, cert=None, key=None):
        self.loop = loop
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.set_alpn_protocols(["h2"])
        if ca is None:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        else:
            context.load_verify_locations(cadata=ca.decode())
            stem = os.path.join(directory, f"client-{os.urandom(4).hex()}")
            with open(stem + ".pem", "wb") as handle:
                handle.write(cert)
            with open(stem + "-key.pem", "wb") as handle:
                handle.write(key)
            context.load_cert_chain(stem + ".pem", stem + "-key.pem")
        self.channel = self.run(self._open(address, port, context))

    @staticmethod
    async def _open(address, port, context):
        return Channel(address, port, ssl=context)  # made on the loop that will drive it

    @property
    def machine(self):
        return machine_grpc.MachineServiceStub(self.channel)

    @property
    def cluster(self):
        return cluster_grpc.ClusterServiceStub(self.channel)

    def run(self, coroutine, timeout=60):
        return self.loop.run_until_complete(asyncio.wait_for(coroutine, timeout))

    def call(self, method, request=None, stub="machine", metadata=None, timeout=60):
        """A unary or server-streaming call; returns the reply (or the list of messages)."""
        service = self.cluster if stub == "cluster" else self.machine
        request = request if request is not None else empty_pb2.Empty()
        return self.run(getattr(service, method)(request, metadata=metadata, timeout=timeout), timeout + 10)

    def upload(self, data, metadata=None, chunk=4096):
        """EtcdRecover as talosctl sends it: 4096-byte common.Data chunks, then half-close."""
        async def send():
            async with self.machine.EtcdRecover.open(metadata=metadata) as stream:
                for offset in range(0, len(data), chunk):
                    await stream.send_message(common_pb2.Data(bytes=data[offset:offset + chunk]))
                await stream.end()
                return await stream.recv_message()
        return self.run(send())

    def close(self):
        self.channel.close()


def wait_for(condition, what, timeout=60, interval=0.05):
    """Polls until condition() is truthy (returns its value); generous deadline, checked once more."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    value = condition()
    if value:
        return value
    raise AssertionError(f"timed out waiting for {what}")
