"""inventory.yaml is the one source of truth. Where one of its values is also written elsewhere
(inside the inventory itself, the lab's copy of the machines, the generated Ansible inventory,
the Kubernetes manifests, the docs), the copy must still equal it: each failure names both
places. Values that could be read from the inventory instead are (terraform/, talos/ through
homelab, the lab's version, schematic and domain); what is left is checked here.
The Ansible inventory is also checked whole by Swift's AnsibleInventoryCommandTests."""
import glob
import ipaddress
import os
import re
import subprocess
import sys
import unittest
from urllib.parse import urlparse

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the helpers, however unittest was started
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # labkit
import driftcheck as drift  # noqa: E402


class InventoryDriftTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.inventory = drift.Located.load(os.path.join(drift.REPO, "inventory.yaml"))

    def assertNoDrift(self, problems):
        self.assertEqual(problems, [], "\n".join(problems))

    def test_the_inventory_agrees_with_itself(self):
        self.assertNoDrift(drift.inventory_problems(self.inventory))

    def test_the_labs_machines_are_the_inventorys(self):
        from labkit import specs
        self.assertNoDrift(drift.lab_problems(self.inventory, specs))

    def test_the_generated_ansible_inventory_has_the_inventorys_values(self):
        self.assertNoDrift(drift.ansible_problems(self.inventory, os.path.join(drift.REPO, "ansible", "inventory", "hosts.yml")))

    def test_manifests_use_the_inventorys_domain_pools_and_endpoints(self):
        files = drift.manifest_files(drift.REPO)
        self.assertNoDrift(drift.manifest_problems(self.inventory, files))

    def test_lan_addresses_written_anywhere_are_the_inventorys(self):
        self.assertNoDrift(drift.address_problems(self.inventory, drift.tracked_text_files(drift.REPO)))

    def test_cilium_hands_out_the_inventorys_load_balancer_addresses(self):
        files = drift.manifest_files(drift.REPO)
        self.assertNoDrift(drift.loadbalancer_problems(self.inventory, files))

    # The checks themselves, on copies that drifted: each must name both places.

    def test_drifted_load_balancer_addresses_are_reported(self):
        with open(os.path.join(drift.REPO, "inventory.yaml"), encoding="utf-8") as handle:
            text = handle.read()
        # A range that swallows the VIP and a node, and a pin outside it.
        inventory_text = text.replace("loadbalancer-range: 192.168.10.240/28", "loadbalancer-range: 192.168.10.16/28")
        problems = drift.inventory_problems(drift.Located.parse(inventory_text, "inventory.yaml"))
        self.assertTrue(any(re.search(r"inventory.yaml:\d+: talos.vip 192.168.10.20 is inside network.loadbalancer-range "
                                      r"192.168.10.16/28 \(inventory.yaml:\d+\)", p) for p in problems), problems)
        self.assertTrue(any("talos.nodes.0.ip 192.168.10.21" in p for p in problems), problems)
        self.assertTrue(any("loadbalancer-addresses.pihole 192.168.10.242 is outside" in p for p in problems), problems)
        documents = {
            "kubernetes/base/cilium-config/cilium-load-balancer-ip-pool.yaml": """
apiVersion: cilium.io/v2
kind: CiliumLoadBalancerIPPool
metadata:
  name: lan
spec:
  blocks:
    - cidr: 192.168.10.224/27
""",
            "kubernetes/base/pihole/service.yaml": """
apiVersion: v1
kind: Service
metadata:
  name: pihole
  annotations:
    lbipam.cilium.io/ips: "192.168.10.250"
""",
            "kubernetes/base/jellyfin/service.yaml": """
apiVersion: v1
kind: Service
metadata:
  name: jellyfin
  annotations:
    lbipam.cilium.io/ips: "192.168.10.243"
""",
        }
        files = {path: drift.Located.parse(body, path) for path, body in documents.items()}
        problems = drift.loadbalancer_problems(self.inventory, files)
        expected = [
            ("cilium-load-balancer-ip-pool.yaml:8:", "192.168.10.224/27", "network.loadbalancer-range"),
            ("pihole/service.yaml:7:", "192.168.10.250", "network.loadbalancer-addresses.pihole 192.168.10.242"),
            ("jellyfin/service.yaml:7:", "jellyfin pins 192.168.10.243", "no address for it"),
            ("inventory.yaml:", "network.loadbalancer-addresses.traefik 192.168.10.241", "pinned by no Service"),
        ]
        for place, value, key in expected:
            self.assertTrue(any(place in p and value in p and key in p and "inventory.yaml:" in p for p in problems),
                            f"{place} {value} {key} not in:\n" + "\n".join(problems))
        self.assertEqual(len(problems), len(expected), problems)

    def test_a_drifted_inventory_value_is_reported_with_both_places(self):
        with open(os.path.join(drift.REPO, "inventory.yaml"), encoding="utf-8") as handle:
            text = handle.read()
        text = text.replace("endpoint: https://192.168.10.20:6443", "endpoint: https://192.168.10.21:6443")
        text = text.replace("url: https://immich.lab.home.arpa/", "url: https://photos.lab.home.arpa/")
        text = re.sub(r"(\n  version: )v1\.13\.9", r"\1v1.14.0", text, count=1)
        problems = drift.inventory_problems(drift.Located.parse(text, "inventory.yaml"))
        self.assertTrue(any(re.search(r"inventory.yaml:\d+: talos.endpoint .*192.168.10.21.* talos.vip .*inventory.yaml:\d+", p)
                            for p in problems), problems)
        self.assertTrue(any("photos.lab.home.arpa" in p and "immich.lab.home.arpa" in p for p in problems), problems)
        self.assertTrue(any("talos.iso.filename" in p and "v1.14.0" in p for p in problems), problems)
        self.assertTrue(any("talos.iso.url" in p and "v1.14.0" in p for p in problems), problems)

    def test_a_drifted_lab_machine_is_reported(self):
        class Specs:
            from labkit.specs import BRIDGES, GAMING, NETWORK, NODE, PCI_MAPPINGS, TALOS_NODES, TALOS_SCHEMATIC, TALOS_VERSION, TOKEN_ID
        Specs.TALOS_NODES = [dict(node) for node in Specs.TALOS_NODES]
        Specs.TALOS_NODES[1]["mac"] = "BC:24:11:00:02:99"
        Specs.TALOS_NODES[2]["ip"] = "127.0.10.33"
        Specs.PCI_MAPPINGS = ("nvidia",)
        problems = drift.lab_problems(self.inventory, Specs)
        self.assertTrue(any("PCI_MAPPINGS" in p and "amd-igpu" in p and "inventory.yaml:" in p for p in problems), problems)
        self.assertTrue(any("worker-1" in p and "mac" in p and "BC:24:11:00:02:99" in p and "inventory.yaml:" in p for p in problems), problems)
        self.assertTrue(any("worker-2" in p and "127.0.10.33" in p for p in problems), problems)

    def test_the_lab_inventory_template_is_checked_against_the_inventory(self):
        with open(os.path.join(drift.REPO, "inventory.yaml"), encoding="utf-8") as handle:
            text = handle.read()
        text = text.replace("  cluster: homelab\n", "  cluster: home\n").replace("    vm: local-zfs\n", "    vm: local-lvm\n")
        from labkit import specs
        problems = drift.lab_problems(drift.Located.parse(text, "inventory.yaml"), specs)
        self.assertTrue(any(re.match(r"lab/labkit/inventory.py:\d+: cluster homelab differs from talos.cluster home \(inventory.yaml:\d+\)", p)
                            for p in problems), problems)
        self.assertTrue(any("lab/labkit/inventory.py:" in p and "proxmox.storage" in p for p in problems), problems)
        self.assertEqual(len(problems), 2, problems)

    def test_drifted_manifests_are_reported(self):
        documents = {
            "kubernetes/base/immich/ingressroute.yaml": """
apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata:
  name: immich
  annotations:
    external-dns.alpha.kubernetes.io/hostname: immich.home.example
spec:
  routes:
    - match: Host(`immich.home.example`)
""",
            "kubernetes/base/zfs-csi/storage-class-zfs-storage.yaml": """
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: zfs-storage
provisioner: zfs.csi.openebs.io
parameters:
  poolname: tnak/k8s
""",
            "kubernetes/base/external-secrets-stores/cluster-secret-store-vault-backend.yaml": """
apiVersion: external-secrets.io/v1
kind: ClusterSecretStore
metadata:
  name: vault-backend
spec:
  provider:
    vault:
      server: http://10.200.0.9:8200
""",
            "kubernetes/base/wireguard-vpn/deployment.yaml": """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: wireguard-vpn
spec:
  template:
    spec:
      containers:
        - name: wireguard-vpn
          ports:
            - name: wireguard
              containerPort: 51821
              protocol: UDP
""",
            "kubernetes/base/wireguard-vpn/configmap.yaml": """
apiVersion: v1
kind: ConfigMap
metadata:
  name: wireguard-vpn-config
data:
  SERVERURL: wg.lab.home.arpa
  SERVERPORT: "51820"
  INTERNAL_SUBNET: 10.14.14.0
  ALLOWEDIPS: 192.168.10.0/24
""",
            "kubernetes/base/cert-manager-issuers/cluster-issuer-letsencrypt-prod.yaml": """
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: letsencrypt-prod
spec:
  acme:
    solvers:
      - selector:
          dnsZones:
            - home.example
""",
        }
        files = {path: drift.Located.parse(text, path) for path, text in documents.items()}
        problems = drift.manifest_problems(self.inventory, files)
        expected = [
            ("ingressroute.yaml:7:", "immich.home.example", "network.domain"),
            ("ingressroute.yaml:10:", "immich.home.example", "network.domain"),
            ("storage-class-zfs-storage.yaml:8:", "tnak", "zfs.pools"),
            ("cluster-secret-store-vault-backend.yaml:9:", "http://10.200.0.9:8200", "wireguard.vps-address"),
            ("deployment.yaml:13:", "51821", "wireguard.port"),
            ("configmap.yaml:7:", "SERVERURL wg.lab.home.arpa", "wireguard-vpn.lab.home.arpa"),
            ("configmap.yaml:9:", "INTERNAL_SUBNET 10.14.14.0", "wireguard.tunnel"),
            ("configmap.yaml:10:", "lacks wireguard.tunnel 10.13.13.0/24", "wireguard.tunnel"),
            ("cluster-issuer-letsencrypt-prod.yaml:11:", "DNS zone home.example", "network.domain"),
            ("inventory.yaml:", "vps.public-services.0 names the service 'nextcloud'", "kubernetes/base"),
            ("inventory.yaml:", "services.0.name names the service 'nextcloud'", "kubernetes/base"),
        ]
        for place, value, key in expected:
            self.assertTrue(any(place in p and value in p and key in p and "inventory.yaml:" in p for p in problems),
                            f"{place} {value} {key} not in:\n" + "\n".join(problems))
        self.assertEqual(len(problems), len(expected), problems)

    def test_a_stale_lan_address_in_a_doc_is_reported(self):
        problems = drift.address_problems(self.inventory, {"docs/example.md": "ssh root@192.168.10.22\nthe VIP 192.168.10.20\n"})
        self.assertEqual(len(problems), 1, problems)
        self.assertRegex(problems[0], r"^docs/example.md:1: 192\.168\.10\.22 .*network\.lan .*inventory\.yaml:\d+")


if __name__ == "__main__":
    unittest.main()
