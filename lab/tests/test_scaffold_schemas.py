"""`homelab service add` output against the Kubernetes and CRD schemas (issue 14): the same
independent check the shipped manifests get (test_manifest_schemas.check_object), on services
generated with every flag and their combinations, in a temporary repository.

Needs the homelab binary: $HOMELAB, else .build/debug/homelab (`make test` builds it first).
"""
import os
import subprocess
import sys
import tempfile
import unittest

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_manifest_schemas import REPO, check_object  # noqa: E402

# name, flags: every flag alone, then combined, in groups, and with dependencies on earlier ones.
SERVICES = [
    ("plain", []),
    ("web", ["--exposed", "--image", "ghcr.io/example/web:1.4.2"]),
    ("store", ["--storage", "10Gi"]),
    ("exporter", ["--metrics", "9100", "--group", "monitoring"]),
    ("agent", ["--secrets", "--group", "security"]),
    ("database", ["--storage", "50Gi", "--secrets", "--port", "5432", "--image", "docker.io/library/postgres:16.6"]),
    ("paperless", ["--exposed", "--storage", "20Gi", "--metrics", "9102", "--secrets", "--port", "8000",
                   "--image", "ghcr.io/paperless-ngx/paperless-ngx:2.13.5", "--depends-on", "database", "store"]),
    ("dashboard", ["--exposed", "--metrics", "3001", "--port", "3000", "--depends-on", "exporter", "web",
                   "--group", "monitoring"]),
]


def homelab_binary():
    path = os.environ.get("HOMELAB") or os.path.join(REPO, ".build", "debug", "homelab")
    if not os.access(path, os.X_OK):
        raise AssertionError(f"no homelab binary at {path}: build it first (swift build) or set HOMELAB")
    return path


class ScaffoldSchemaTest(unittest.TestCase):
    def test_generated_services_match_the_schemas(self):
        homelab = homelab_binary()
        with tempfile.TemporaryDirectory(prefix="homelab-scaffold-schemas-") as root:
            with open(os.path.join(root, "inventory.yaml"), "w") as handle:
                handle.write("network:\n  domain: lab.example.org\n")
            os.makedirs(os.path.join(root, "kubernetes", "base"))
            for name, flags in SERVICES:
                run = subprocess.run([homelab, "service", "add", name, *flags, "--root", root],
                                     capture_output=True, text=True)
                self.assertEqual(run.returncode, 0, f"service add {name}: {run.stderr}")
            problems, checked = [], set()
            for directory, subdirectories, files in os.walk(root):
                subdirectories.sort()
                for file in sorted(f for f in files if f.endswith(".yaml") and f != "inventory.yaml"):
                    path = os.path.join(directory, file)
                    with open(path) as handle:
                        objects = list(yaml.safe_load_all(handle))
                    self.assertEqual(len(objects), 1, path)
                    checked.add((objects[0].get("apiVersion"), objects[0].get("kind")))
                    problems += [f"{os.path.relpath(path, root)}: {p}" for p in check_object(objects[0])]
            self.assertEqual(problems, [], "\n" + "\n".join(problems))
            # Every kind the scaffold writes was among them.
            self.assertEqual({kind for _, kind in checked}, {
                "Deployment", "Service", "NetworkPolicy", "IngressRoute", "PersistentVolumeClaim", "ServiceMonitor",
                "ExternalSecret", "Kustomization"})


if __name__ == "__main__":
    unittest.main()
