"""Kubeconfig's answer: a gzipped tar holding one regular file `kubeconfig` (mode 0600), made on
the fly from the applied config as machined does (reference/talos-api.md §4.7): a fresh admin
client certificate (CN admin, O system:masters) signed by `cluster.ca`, the server from
`cluster.controlPlane.endpoint`, user and context `admin@<cluster>`."""
import base64
import gzip
import io
import tarfile
import time

import yaml

from . import pki


def render(config, fallback_endpoint):
    ca_pem, ca_cert, ca_key = config.kubernetes_ca()
    cert_pem, key_pem = pki.kubernetes_admin(ca_cert, ca_key)
    name = config.cluster_name or "talos"
    user = f"admin@{name}"
    document = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": name, "cluster": {
            "server": config.endpoint or fallback_endpoint,
            "certificate-authority-data": base64.b64encode(ca_pem).decode()}}],
        "users": [{"name": user, "user": {
            "client-certificate-data": base64.b64encode(cert_pem).decode(),
            "client-key-data": base64.b64encode(key_pem).decode()}}],
        "contexts": [{"name": user, "context": {"cluster": name, "namespace": "default", "user": user}}],
        "current-context": user,
        "preferences": {},
    }
    return yaml.safe_dump(document, sort_keys=False).encode()


def archive(kubeconfig):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("kubeconfig")
        info.size = len(kubeconfig)
        info.mode = 0o600
        info.mtime = int(time.time())
        tar.addfile(info, io.BytesIO(kubeconfig))
    return gzip.compress(raw.getvalue())
