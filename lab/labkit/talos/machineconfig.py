"""The parts of a Talos machine config (reference/talos-api.md §8) the node double acts on.

ApplyConfiguration gets the config as raw YAML, possibly several documents; the first v1alpha1
document (`version: v1alpha1`) is the one with `machine` and `cluster`. Problems are
InvalidArgument answers, so every error names the field."""
import yaml

from . import pki

MACHINE_TYPES = ("init", "controlplane", "worker")


class ConfigError(ValueError):
    """An invalid machine config: answered with InvalidArgument."""


class MachineConfig:
    def __init__(self, raw):
        self.raw = raw
        try:
            documents = [d for d in yaml.safe_load_all(raw.decode("utf-8")) if d is not None]
        except UnicodeDecodeError as error:
            raise ConfigError(f"failed to parse config: not UTF-8 at byte {error.start}") from None
        except yaml.YAMLError as error:
            raise ConfigError(f"failed to parse config: {_where(error)}") from None
        v1 = [d for d in documents if isinstance(d, dict) and d.get("version") == "v1alpha1"]
        if not v1:
            raise ConfigError("the config has no v1alpha1 document (a document with `version: v1alpha1`)")
        doc = v1[0]
        self.machine = _map(doc, "machine")
        self.cluster = _map(doc, "cluster")
        self.type = self.machine.get("type")
        if self.type not in MACHINE_TYPES:
            raise ConfigError(f"machine.type: unknown machine type {self.type!r} (one of {', '.join(MACHINE_TYPES)})")
        ca = _map(self.machine, "ca", "machine")
        try:
            self.ca_pem = pki.decode_pem_field(ca.get("crt"), "machine.ca.crt")
            self.ca_cert = pki.load_certificate(self.ca_pem, "machine.ca.crt")
            self.ca_key = None
            if self.is_control_plane or ca.get("key"):
                self.ca_key = pki.load_private_key(pki.decode_pem_field(ca.get("key"), "machine.ca.key"), "machine.ca.key")
        except pki.PKIError as error:
            raise ConfigError(str(error)) from None
        sans = self.machine.get("certSANs") or []
        if not isinstance(sans, list) or not all(isinstance(s, str) for s in sans):
            raise ConfigError("machine.certSANs must be a list of strings")
        self.cert_sans = sans
        network = self.machine.get("network") or {}
        self.hostname = network.get("hostname") if isinstance(network, dict) else None
        self.cluster_name = self.cluster.get("clusterName") or ""
        self.cluster_id = self.cluster.get("id") or ""
        control_plane = self.cluster.get("controlPlane") or {}
        self.endpoint = control_plane.get("endpoint") if isinstance(control_plane, dict) else None
        if self.endpoint is not None and not str(self.endpoint).startswith("https://"):
            raise ConfigError(f"cluster.controlPlane.endpoint must be an https URL, found {self.endpoint!r}")

    @property
    def is_control_plane(self):
        return self.type in ("init", "controlplane")

    def kubernetes_ca(self):
        """(certificate, key) of `cluster.ca`, for the kubeconfig; ConfigError when absent."""
        ca = self.cluster.get("ca") or {}
        try:
            cert_pem = pki.decode_pem_field(ca.get("crt"), "cluster.ca.crt")
            cert = pki.load_certificate(cert_pem, "cluster.ca.crt")
            key = pki.load_private_key(pki.decode_pem_field(ca.get("key"), "cluster.ca.key"), "cluster.ca.key")
        except pki.PKIError as error:
            raise ConfigError(str(error)) from None
        return cert_pem, cert, key


def _where(error):
    """The YAML problem and its position, never the offending line itself (PyYAML's own text
    quotes it, and that line may hold a key)."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or "invalid YAML"
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}" if mark else problem


def _map(parent, key, where=None):
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{where + '.' if where else ''}{key} must be a mapping")
    return value
