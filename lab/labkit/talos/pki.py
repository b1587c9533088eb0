"""Certificates of a Talos node double, as Talos makes them (reference/talos-api.md §2):

- maintenance mode: an ephemeral self-signed CA made at each boot, and a server certificate
  (CN maintenance-service.talos.dev) for the node's addresses; clients cannot verify it;
- configured mode: a server certificate signed by the OS CA of the applied config (the leaf key
  follows the CA's algorithm: Ed25519 for a Talos CA), SANs = the node's address, 127.0.0.1,
  the hostname and `machine.certSANs`;
- the client check apid adds on top of TLS verification: every client certificate must carry
  ExtKeyUsage exactly [clientAuth]; the roles are the Subject's O= values.
"""
import base64
import binascii
import datetime
import ipaddress
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

MAINTENANCE_CN = "maintenance-service.talos.dev"


class PKIError(ValueError):
    """A certificate or key of the applied config that cannot be used (the text names the field)."""


def decode_pem_field(value, field):
    """`machine.ca.crt` and friends: base64 of a PEM block. Returns the PEM bytes."""
    if not isinstance(value, str) or not value.strip():
        raise PKIError(f"{field} is missing (it must be base64 of a PEM block)")
    try:
        pem = base64.b64decode(value.strip(), validate=False)
    except (binascii.Error, ValueError) as error:
        raise PKIError(f"{field} is not valid base64: {error}") from None
    if b"-----BEGIN " not in pem:
        raise PKIError(f"{field} does not decode to a PEM block")
    return pem


def load_certificate(pem, field):
    try:
        return x509.load_pem_x509_certificate(pem)
    except ValueError as error:
        raise PKIError(f"{field} is not a PEM certificate: {error}") from None


def load_private_key(pem, field):
    """Talos labels Ed25519 PKCS#8 keys `ED25519 PRIVATE KEY`; the body is plain PKCS#8."""
    relabelled = pem.replace(b"ED25519 PRIVATE KEY", b"PRIVATE KEY")
    try:
        return serialization.load_pem_private_key(relabelled, password=None)
    except (ValueError, TypeError) as error:
        raise PKIError(f"{field} is not a usable PEM private key: {type(error).__name__}") from None


def new_key_like(ca_key):
    """Talos' leaf certificates follow their CA's key algorithm."""
    if isinstance(ca_key, ed25519.Ed25519PrivateKey):
        return ed25519.Ed25519PrivateKey.generate()
    if isinstance(ca_key, ec.EllipticCurvePrivateKey):
        return ec.generate_private_key(ca_key.curve)
    if isinstance(ca_key, rsa.RSAPrivateKey):
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    raise PKIError(f"unsupported CA key type {type(ca_key).__name__}")


def _digest(key):
    return None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()


def _now():
    return datetime.datetime.now(datetime.timezone.utc)


def _key_usage(**on):
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
             "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{n: bool(on.get(n)) for n in names})


def _sans(addresses, names):
    entries = []
    for item in addresses:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(item)))
        except ValueError:
            entries.append(x509.DNSName(item))
    entries += [x509.DNSName(n) for n in names]
    unique = []
    for entry in entries:
        if entry not in unique:
            unique.append(entry)
    return x509.SubjectAlternativeName(unique)


def _leaf(subject, issuer_cert_name, issuer_key, public_key, usages, sans=None, days=365, not_before=None):
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(issuer_cert_name).public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before or (_now() - datetime.timedelta(minutes=1)))
               .not_valid_after(_now() + datetime.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(_key_usage(digital_signature=True), critical=True)
               .add_extension(x509.ExtendedKeyUsage(usages), critical=False))
    if sans is not None:
        builder = builder.add_extension(sans, critical=False)
    return builder.sign(issuer_key, _digest(issuer_key))


def _pem(cert, key):
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))


def maintenance_identity(address, hostname):
    """(certificate PEM, key PEM) of a maintenance-mode server: a fresh Ed25519 CA per boot."""
    ca_key = ed25519.Ed25519PrivateKey.generate()
    ca_name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "talos")])
    key = ed25519.Ed25519PrivateKey.generate()
    cert = _leaf(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, MAINTENANCE_CN)]), ca_name, ca_key,
                 key.public_key(), [ExtendedKeyUsageOID.SERVER_AUTH],
                 _sans([address, "127.0.0.1", "::1"], [hostname] if hostname else []))
    return _pem(cert, key)


def server_identity(ca_cert, ca_key, address, hostname, cert_sans):
    """(certificate PEM, key PEM) of apid in configured mode, signed by the OS CA."""
    key = new_key_like(ca_key)
    names = [hostname] if hostname else []
    addresses = [address, "127.0.0.1"] + [s for s in cert_sans if _is_ip(s)]
    names += [s for s in cert_sans if not _is_ip(s)]
    cert = _leaf(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname or address)]), ca_cert.subject,
                 ca_key, key.public_key(), [ExtendedKeyUsageOID.SERVER_AUTH], _sans(addresses, names))
    return _pem(cert, key)


def kubernetes_admin(ca_cert, ca_key, days=365):
    """The kubeconfig's client certificate: CN admin, O system:masters, NotBefore now-10s."""
    key = new_key_like(ca_key)
    subject = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "system:masters"),
                         x509.NameAttribute(NameOID.COMMON_NAME, "admin")])
    cert = _leaf(subject, ca_cert.subject, ca_key, key.public_key(), [ExtendedKeyUsageOID.CLIENT_AUTH],
                 days=days, not_before=_now() - datetime.timedelta(seconds=10))
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return _pem(cert, key)
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.NoEncryption()))


def _is_ip(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


class ClientRefused(Exception):
    """apid's verifyExtKeyUsage refusal (the handshake fails); the text says why."""


def client_roles(der):
    """The roles of a verified client certificate, or ClientRefused as apid refuses it:
    its ExtKeyUsage must be exactly [clientAuth] (serverAuth+clientAuth is refused too)."""
    cert = x509.load_der_x509_certificate(der)
    try:
        usages = list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    except x509.ExtensionNotFound:
        usages = []
    if usages != [ExtendedKeyUsageOID.CLIENT_AUTH]:
        raise ClientRefused(f"certificate {cert.subject.rfc4514_string()!r} is missing the client auth extended key usage")
    return [a.value for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]


def write_private(directory, name, data):
    """Writes key material for the TLS stack (it only loads files), mode 0600."""
    os.makedirs(directory, mode=0o700, exist_ok=True)
    path = os.path.join(directory, name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path
