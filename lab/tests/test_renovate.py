""".renovate/config.json: valid JSON that Renovate is pointed at, and whose regex managers still
find the versions they bump in inventory.yaml (a renamed or moved key would otherwise stop the
updates silently)."""
import json
import os
import re
import sys
import unittest

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the helpers, however unittest was started
from driftcheck import REPO  # noqa: E402


def python_regex(pattern):
    """Renovate's matchStrings are JavaScript regexes: named groups are (?<name>...)."""
    return re.compile(pattern.replace("(?<", "(?P<"), re.MULTILINE)


class RenovateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(os.path.join(REPO, ".renovate", "config.json"), encoding="utf-8") as handle:
            cls.config = json.load(handle)
        with open(os.path.join(REPO, "inventory.yaml"), encoding="utf-8") as handle:
            cls.text = handle.read()
        cls.inventory = yaml.safe_load(cls.text)

    def test_renovate_is_pointed_at_the_config(self):
        with open(os.path.join(REPO, ".github", "renovate.json"), encoding="utf-8") as handle:
            pointer = json.load(handle)
        repository = re.search(r"github\.com[:/]([^/]+/[^/.]+)", self.inventory["flux"]["repository"]).group(1)
        self.assertEqual(pointer["extends"], [f"local>{repository}//.renovate/config"])

    def test_the_managers_cover_manifests_charts_and_providers(self):
        for manager, sample in (("kubernetes", "kubernetes/base/immich/deployment.yaml"),
                                ("flux", "kubernetes/base/cilium/helm-release.yaml"),
                                ("terraform", "terraform/proxmox/main.tf")):
            with self.subTest(manager=manager):
                patterns = self.config[manager]["fileMatch"]
                self.assertTrue(any(re.search(pattern, sample) for pattern in patterns), patterns)

    def test_every_regex_manager_finds_the_current_version_in_the_inventory(self):
        expected = {
            "siderolabs/talos": {self.inventory["talos"]["version"]},
            "traefik/traefik": {self.inventory["vps"]["traefik-version"]},
            "hashicorp/vault": {self.inventory["vps"]["vault-version"]},
        }
        for manager in self.config["customManagers"]:
            with self.subTest(dep=manager["depNameTemplate"]):
                self.assertTrue(all(re.search(pattern, "inventory.yaml") for pattern in manager["fileMatch"]))
                for pattern in manager["matchStrings"]:
                    found = [match.group("currentValue") for match in python_regex(pattern).finditer(self.text)]
                    self.assertEqual(set(found), expected[manager["depNameTemplate"]], pattern)
                    self.assertEqual(len(found), 1, f"{pattern} matches {len(found)} places")

    def test_the_talos_manager_updates_every_place_the_version_is_written(self):
        """talos.version, the ISO's filename and its URL move together in one update."""
        talos = next(m for m in self.config["customManagers"] if m["depNameTemplate"] == "siderolabs/talos")
        version = self.inventory["talos"]["version"]
        spans = [match.span("currentValue") for pattern in talos["matchStrings"] for match in python_regex(pattern).finditer(self.text)]
        self.assertEqual(sorted(spans), sorted(match.span() for match in re.finditer(re.escape(version), self.text)))


if __name__ == "__main__":
    unittest.main()
