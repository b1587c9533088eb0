"""The host's identity: its TLS certificate (a CA-signed leaf, SANs IP:127.0.0.1, DNS:localhost,
DNS:pve, like pve-ssl.pem) and the API token. Both are made on first start and kept in DIR, so a
restarted lab is the same host; a new certificate is a reinstalled host (every pin breaks)."""
import datetime
import os
import ssl
import threading
import uuid

from cryptography import x509

from lab.fixtures import certs

from . import specs


class Identity:
    def __init__(self, out_dir, new_certificate=False):
        self.directory = os.path.join(out_dir, "pve-ssl")
        self.secrets = os.path.join(out_dir, "secrets")
        self.token_file = os.path.join(self.secrets, "proxmox-token")
        self._lock = threading.Lock()
        os.makedirs(self.secrets, mode=0o700, exist_ok=True)
        self.secret = self._load_or_make_secret()
        if new_certificate or not self._certificate_usable():
            self._issue()
        self._load()

    @property
    def token(self):
        return f"{specs.TOKEN_ID}={self.secret}"

    @property
    def certificate(self):
        return os.path.join(self.directory, "server.pem")

    @property
    def ca(self):
        return os.path.join(self.directory, "ca.pem")

    def _load_or_make_secret(self):
        if os.path.exists(self.token_file):
            with open(self.token_file) as handle:
                text = handle.read().strip()
            if text.startswith(specs.TOKEN_ID + "="):
                return text.split("=", 1)[1]
        secret = str(uuid.uuid4())
        descriptor = os.open(self.token_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(f"{specs.TOKEN_ID}={secret}")  # no newline: the file is the header value
        os.chmod(self.token_file, 0o600)
        return secret

    def _certificate_usable(self):
        try:
            with open(self.certificate, "rb") as handle:
                cert = x509.load_pem_x509_certificate(handle.read())
        except (OSError, ValueError):
            return False
        left = cert.not_valid_after_utc - datetime.datetime.now(datetime.timezone.utc)
        return left > datetime.timedelta(days=1)

    def _issue(self):
        certs.issue(self.directory, "ecdsa", server_names=(specs.NODE, "localhost"), server_ips=("127.0.0.1",))

    def _load(self):
        with open(self.certificate, "rb") as handle:
            cert = x509.load_pem_x509_certificate(handle.read())
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(self.certificate, os.path.join(self.directory, "server-key.pem"))
        with self._lock:
            self.fingerprint = certs.fingerprint(cert)
            self.spki_pin = certs.spki_pin(cert)
            self.context = context

    def rotate(self):
        """A reinstall: new CA, new key, new certificate for new connections."""
        self._issue()
        self._load()
        return self.fingerprint

    def current_context(self):
        with self._lock:
            return self.context
