"""The inventory drift checks (lab/tests/test_inventory_drift.py): each returns problems as
`file:line: what differs ... (inventory.yaml:line key)` strings, so a failure names both
places."""
import ast
import ipaddress
import os
import re
import subprocess
from urllib.parse import urlparse

import yaml

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
IPV4 = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(/\d{1,2})?(?![\w.])")
HOST_RULE = re.compile(r"Host(?:SNI)?\(\s*`([^`]+)`")
# Where the lab's copies and the docs live; lab/ and the Swift sources are code, not copies.
TEXT_ROOTS = ("docs/", "runbooks/", "talos/", "ansible/", "kubernetes/", "flux/", "terraform/", "storage/", "scripts/",
              ".renovate/", "README.md")


class Located:
    """A YAML file's documents with the line of every node, so a value can be pointed at."""

    def __init__(self, documents, file):
        self.documents = documents  # composed nodes
        self.file = file

    @classmethod
    def load(cls, path, display=None):
        with open(path, encoding="utf-8") as handle:
            return cls.parse(handle.read(), display or os.path.relpath(path, REPO))

    @classmethod
    def parse(cls, text, file):
        return cls([node for node in yaml.compose_all(text, Loader=yaml.SafeLoader) if node is not None], file)

    @property
    def data(self):
        return _construct(self.documents[0]) if self.documents else None

    def node(self, *path, document=0):
        node = self.documents[document] if len(self.documents) > document else None
        for key in path:
            if isinstance(node, yaml.MappingNode):
                node = next((value for name, value in node.value if name.value == key), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
            else:
                return None
        return node

    def get(self, *path):
        node = self.node(*path)
        return None if node is None else _construct(node)

    def at(self, *path):
        """`file:line` of the value at path (the file's first line when it is not there)."""
        node = self.node(*path)
        return f"{self.file}:{node.start_mark.line + 1 if node is not None else 1}"


def _construct(node):
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def _walk(node, path=()):
    """Every (path, key, node) below node; key is the mapping key that led to it."""
    if isinstance(node, yaml.MappingNode):
        for name, value in node.value:
            yield path + (name.value,), name.value, value
            yield from _walk(value, path + (name.value,))
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            yield path + (index,), None, value
            yield from _walk(value, path + (index,))


def _line(node):
    return node.start_mark.line + 1


# -- inside the inventory ------------------------------------------------------------------------

def inventory_problems(inv):
    problems = []
    talos, network = inv.get("talos") or {}, inv.get("network") or {}
    version, schematic, domain = talos.get("version"), talos.get("schematic"), network.get("domain")
    endpoint_host = urlparse(str(talos.get("endpoint"))).hostname
    if endpoint_host != talos.get("vip"):
        problems.append(f"{inv.at('talos', 'endpoint')}: talos.endpoint {talos.get('endpoint')} does not point at "
                        f"talos.vip {talos.get('vip')} ({inv.at('talos', 'vip')})")
    iso = talos.get("iso") or {}
    if iso.get("filename") != f"talos-{version}-metal-amd64.iso":
        problems.append(f"{inv.at('talos', 'iso', 'filename')}: talos.iso.filename {iso.get('filename')} is not "
                        f"talos-{version}-metal-amd64.iso (talos.version {version}, {inv.at('talos', 'version')})")
    if f"/{schematic}/{version}/" not in str(iso.get("url")):
        problems.append(f"{inv.at('talos', 'iso', 'url')}: talos.iso.url {iso.get('url')} is not the Image Factory ISO of "
                        f"talos.schematic ({inv.at('talos', 'schematic')}) at talos.version {version} ({inv.at('talos', 'version')})")
    proxmox = inv.get("proxmox") or {}
    if urlparse(str(proxmox.get("api"))).hostname != proxmox.get("address"):
        problems.append(f"{inv.at('proxmox', 'api')}: proxmox.api {proxmox.get('api')} is not on proxmox.address "
                        f"{proxmox.get('address')} ({inv.at('proxmox', 'address')})")
    lan = ipaddress.ip_network(network.get("lan"))
    addresses = [(("network", "gateway"), network.get("gateway")), (("proxmox", "address"), proxmox.get("address")),
                 (("talos", "vip"), talos.get("vip"))]
    addresses += [(("talos", "nodes", i, "ip"), node.get("ip")) for i, node in enumerate(talos.get("nodes") or [])]
    for path, address in addresses:
        if address is None or ipaddress.ip_address(address) not in lan:
            problems.append(f"{inv.at(*path)}: {'.'.join(map(str, path))} {address} is outside network.lan {lan} "
                            f"({inv.at('network', 'lan')})")
    for i, service in enumerate(inv.get("services") or []):
        host = urlparse(service.get("url", "")).hostname
        if host != f"{service.get('name')}.{domain}":
            problems.append(f"{inv.at('services', i, 'url')}: services[{i}].url is on {host}, but a service's host is "
                            f"<service>.<network.domain>: {service.get('name')}.{domain} ({inv.at('network', 'domain')}), "
                            "as its IngressRoute has it")
    for i, name in enumerate(talos.get("cert-sans") or []):
        if not _is_address(name) and not str(name).endswith(f".{domain}"):
            problems.append(f"{inv.at('talos', 'cert-sans', i)}: talos.cert-sans {name} is not under network.domain "
                            f"{domain} ({inv.at('network', 'domain')})")
    problems += _loadbalancer_inventory_problems(inv, lan, addresses)
    wireguard = inv.get("wireguard") or {}
    if wireguard:
        tunnel = ipaddress.ip_network(wireguard.get("tunnel"))
        for key in ("vps-address", "homelab-address"):
            if ipaddress.ip_address(wireguard.get(key)) not in tunnel:
                problems.append(f"{inv.at('wireguard', key)}: wireguard.{key} {wireguard.get(key)} is outside "
                                f"wireguard.tunnel {tunnel} ({inv.at('wireguard', 'tunnel')})")
    return problems


def _loadbalancer_inventory_problems(inv, lan, addresses):
    """network.loadbalancer-range lies in the LAN and holds none of the inventory's other LAN
    addresses; every pinned load-balancer address lies in it."""
    problems = []
    block = inv.get("network", "loadbalancer-range")
    if block is None:
        return problems
    where = inv.at("network", "loadbalancer-range")
    pool = ipaddress.ip_network(block)
    if not pool.subnet_of(lan):
        problems.append(f"{where}: network.loadbalancer-range {pool} is outside network.lan {lan} ({inv.at('network', 'lan')})")
    for path, address in addresses:
        if address is not None and ipaddress.ip_address(address) in pool:
            problems.append(f"{inv.at(*path)}: {'.'.join(map(str, path))} {address} is inside network.loadbalancer-range "
                            f"{pool} ({where}), which Cilium hands to LoadBalancer Services")
    for service, address in (inv.get("network", "loadbalancer-addresses") or {}).items():
        if ipaddress.ip_address(address) not in pool:
            problems.append(f"{inv.at('network', 'loadbalancer-addresses', service)}: network.loadbalancer-addresses.{service} "
                            f"{address} is outside network.loadbalancer-range {pool} ({where})")
    return problems


def _is_address(text):
    try:
        ipaddress.ip_address(str(text))
        return True
    except ValueError:
        return False


# -- the lab's copy of the machines ----------------------------------------------------------------

def lab_problems(inv, specs):
    """lab/labkit/specs.py keeps the machines as data (`lab.py down` runs without a YAML parser):
    every value but the address equals the inventory's; the address keeps the last octet."""
    problems = []
    specs_file = "lab/labkit/specs.py"
    try:
        with open(os.path.join(REPO, specs_file), encoding="utf-8") as handle:
            specs_text = handle.read()
    except OSError:
        specs_text = ""

    def where(name):
        found = re.search(r'"name": "' + re.escape(name) + '"', specs_text)
        return f"{specs_file}:{specs_text.count(chr(10), 0, found.start()) + 1 if found else 1}"

    if specs.NETWORK["domain"] != inv.get("network", "domain"):
        problems.append(f"{specs_file}: NETWORK domain {specs.NETWORK['domain']} differs from network.domain "
                        f"{inv.get('network', 'domain')} ({inv.at('network', 'domain')})")
    if specs.BRIDGES[0] != inv.get("proxmox", "bridge"):
        problems.append(f"{specs_file}: BRIDGES[0] {specs.BRIDGES[0]} differs from proxmox.bridge "
                        f"{inv.get('proxmox', 'bridge')} ({inv.at('proxmox', 'bridge')})")
    for section, lab_list, path in (("TALOS_NODES", specs.TALOS_NODES, ("talos", "nodes")), ("GAMING", specs.GAMING, ("gaming",))):
        real = inv.get(*path) or []
        lab_by_name = {machine["name"]: machine for machine in lab_list}
        for i, machine in enumerate(real):
            name = machine.get("name")
            lab = lab_by_name.pop(name, None)
            if lab is None:
                problems.append(f"{specs_file}: {section} has no '{name}' ({inv.at(*path, i)} {'.'.join(path)}[{i}])")
                continue
            for key in sorted(set(machine) | set(lab)):
                ours, theirs = lab.get(key), machine.get(key)
                if key == "ip":
                    same = str(ours).rsplit(".", 1)[-1] == str(theirs).rsplit(".", 1)[-1]
                else:
                    same = ours == theirs
                if not same:
                    problems.append(f"{where(name)}: {section} '{name}' {key} {ours!r} differs from "
                                    f"{'.'.join(path)}[{i}].{key} {theirs!r} ({inv.at(*path, i, key) if key in machine else inv.at(*path, i)})")
        for name in lab_by_name:
            problems.append(f"{where(name)}: {section} has '{name}', which {'.'.join(path)} has not ({inv.at(*path)})")
    if specs.NODE != inv.get("proxmox", "node"):
        problems.append(f"{specs_file}: NODE {specs.NODE} differs from proxmox.node {inv.get('proxmox', 'node')} ({inv.at('proxmox', 'node')})")
    if specs.TOKEN_ID != inv.get("proxmox", "token-id"):
        problems.append(f"{specs_file}: TOKEN_ID {specs.TOKEN_ID} differs from proxmox.token-id {inv.get('proxmox', 'token-id')} "
                        f"({inv.at('proxmox', 'token-id')})")
    for i, vm in enumerate(inv.get("gaming") or []):
        if vm.get("gpu") and vm["gpu"] not in specs.PCI_MAPPINGS:
            problems.append(f"{specs_file}: PCI_MAPPINGS {specs.PCI_MAPPINGS} lacks gaming[{i}].gpu {vm['gpu']} ({inv.at('gaming', i, 'gpu')})")
    problems += _lab_inventory_template_problems(inv)
    peer = os.path.join(REPO, "lab", "fixtures", "talos_peer.py")
    if os.path.exists(peer):
        with open(peer, encoding="utf-8") as handle:
            text = handle.read()
        for match in re.finditer(r'"--tag", default="([^"]+)"', text):
            if match.group(1) != inv.get("talos", "version"):
                problems.append(f"lab/fixtures/talos_peer.py:{text.count(chr(10), 0, match.start()) + 1}: default tag "
                                f"{match.group(1)} differs from talos.version {inv.get('talos', 'version')} ({inv.at('talos', 'version')})")
    return problems


def _lab_inventory_template_problems(inv):
    """lab/labkit/inventory.py writes the lab's inventory: the values it shares with the real one
    (the cluster's name, the install disk, the storages) are the real ones."""
    path = os.path.join(REPO, "lab", "labkit", "inventory.py")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    problems = []

    def line(offset):
        return f"lab/labkit/inventory.py:{text.count(chr(10), 0, offset) + 1}"

    for key, source in (("cluster", ("talos", "cluster")), ("install-disk", ("talos", "install-disk"))):
        for match in re.finditer(r'"' + re.escape(key) + r'": "([^"]+)"', text):
            if match.group(1) != inv.get(*source):
                problems.append(f"{line(match.start())}: {key} {match.group(1)} differs from {'.'.join(source)} "
                                f"{inv.get(*source)} ({inv.at(*source)})")
    match = re.search(r'proxmox\["storage"\] = (\{[^}]*\})', text)
    if match and ast.literal_eval(match.group(1)) != inv.get("proxmox", "storage"):
        problems.append(f"{line(match.start())}: the storages {match.group(1)} differ from proxmox.storage "
                        f"{inv.get('proxmox', 'storage')} ({inv.at('proxmox', 'storage')})")
    return problems


# -- the generated Ansible inventory ---------------------------------------------------------------

def ansible_problems(inv, path):
    hosts = Located.load(path)
    problems = []
    host = inv.get("proxmox", "host")
    pairs = [
        (("all", "children", "proxmox", "hosts", host, "ansible_host"), inv.get("proxmox", "address"), ("proxmox", "address")),
        (("all", "children", "proxmox", "hosts", host, "ansible_port"), inv.get("proxmox", "ssh", "port"), ("proxmox", "ssh", "port")),
        (("all", "children", "proxmox", "hosts", host, "ansible_user"), inv.get("proxmox", "ssh", "user"), ("proxmox", "ssh", "user")),
        (("all", "vars", "homelab_lan"), inv.get("network", "lan"), ("network", "lan")),
        (("all", "vars", "zfs_pools"), inv.get("zfs", "pools"), ("zfs", "pools")),
    ]
    for copy_path, expected, source in pairs:
        found = hosts.get(*copy_path)
        if found != expected:
            problems.append(f"{hosts.at(*copy_path)}: {'.'.join(map(str, copy_path))} {found!r} differs from "
                            f"{'.'.join(source)} {expected!r} ({inv.at(*source)}); run: homelab ansible inventory > ansible/inventory/hosts.yml")
    return problems


# -- Kubernetes manifests and Flux objects ---------------------------------------------------------

def manifest_files(repo):
    files = {}
    for root in ("kubernetes", "flux"):
        for directory, _, names in os.walk(os.path.join(repo, root)):
            for name in sorted(names):
                if name.endswith((".yaml", ".yml")):
                    path = os.path.join(directory, name)
                    files[os.path.relpath(path, repo)] = Located.load(path)
    return files


def manifest_problems(inv, files):
    """Hosts and DNS zones under network.domain, ZFS pool names of zfs.pools (never the drill's
    datasets), Vault at its tunnel address, the WireGuard service on the inventory's port,
    tunnel and LAN; and the services the inventory names exist."""
    problems = []
    domain = inv.get("network", "domain")
    pools = [pool["name"] for pool in inv.get("zfs", "pools") or []]
    drill_prefix = inv.get("drill", "dataset-prefix")
    wireguard = inv.get("wireguard") or {}
    vault = None
    if wireguard and inv.get("vps", "vault-port") is not None:
        vault = f"http://{wireguard.get('vps-address')}:{inv.get('vps', 'vault-port')}"
    domain_at = f"{inv.at('network', 'domain')}"

    def zone_ok(zone):
        return domain == zone or domain.endswith("." + zone)

    for file, located in sorted(files.items()):
        in_wireguard = bool(wireguard.get("service")) and f"/{wireguard.get('service')}/" in f"/{file}"
        for document in located.documents:
            for path, key, node in _walk(document):
                where = f"{file}:{_line(node)}"
                text = node.value if isinstance(node, yaml.ScalarNode) else None
                if text is None:
                    if in_wireguard and isinstance(node, yaml.MappingNode):
                        problems += _wireguard_port_problems(inv, file, node)
                    continue
                hosts = HOST_RULE.findall(text)
                if key == "external-dns.alpha.kubernetes.io/hostname":
                    hosts += [host.strip() for host in text.split(",")]
                if key == "host" and "rules" in path:
                    hosts.append(text)
                if len(path) >= 2 and path[-2] == "hosts" and isinstance(path[-1], int):
                    hosts.append(text)
                for host in hosts:
                    if not host.endswith(f".{domain}"):
                        problems.append(f"{where}: host {host} is not under network.domain {domain} ({domain_at})")
                zones = []
                if len(path) >= 2 and path[-2] == "dnsZones":
                    zones.append(text)
                if key == "EXTERNAL_DNS_DOMAIN_FILTER":
                    zones += [zone.strip() for zone in text.split(",")]
                for zone in zones:
                    if not zone_ok(zone):
                        problems.append(f"{where}: DNS zone {zone} does not hold network.domain {domain} ({domain_at})")
                if key == "poolname":
                    pool = text.split("/")[0]
                    if pool not in pools:
                        problems.append(f"{where}: ZFS poolname {text} is on pool '{pool}', not one of zfs.pools "
                                        f"{', '.join(pools)} ({inv.at('zfs', 'pools')})")
                    elif drill_prefix and (text == drill_prefix or text.startswith(drill_prefix + "/")):
                        problems.append(f"{where}: ZFS poolname {text} is inside drill.dataset-prefix {drill_prefix} "
                                        f"({inv.at('drill', 'dataset-prefix')}), which restore drills destroy")
                if key == "server" and len(path) >= 2 and path[-2] == "vault" and vault and text.rstrip("/") != vault:
                    problems.append(f"{where}: Vault server {text} is not {vault}, Vault's address on the tunnel "
                                    f"(wireguard.vps-address {inv.at('wireguard', 'vps-address')}, vps.vault-port {inv.at('vps', 'vault-port')})")
                if in_wireguard:
                    problems += _wireguard_value_problems(inv, where, key, text)
    problems += _named_service_problems(inv, files)
    return problems


def _wireguard_port_problems(inv, file, node):
    """A port mapping named wireguard (or wg) carries wireguard.port."""
    mapping = {name.value: value for name, value in node.value}
    name = mapping.get("name")
    if name is None or getattr(name, "value", "") not in ("wireguard", "wg"):
        return []
    problems = []
    for port_key in ("containerPort", "hostPort", "port"):
        port = mapping.get(port_key)
        if isinstance(port, yaml.ScalarNode) and port.value != str(inv.get("wireguard", "port")):
            problems.append(f"{file}:{_line(port)}: WireGuard {port_key} {port.value} differs from wireguard.port "
                            f"{inv.get('wireguard', 'port')} ({inv.at('wireguard', 'port')})")
    return problems


def _wireguard_value_problems(inv, where, key, text):
    """The WireGuard service's settings (linuxserver/wireguard's environment, a wg config)."""
    wireguard = inv.get("wireguard")
    port, tunnel = str(wireguard.get("port")), ipaddress.ip_network(wireguard.get("tunnel"))
    expected = {
        "SERVERPORT": (port, "wireguard.port", ("wireguard", "port")),
        "SERVERURL": (f"{wireguard.get('service')}.{inv.get('network', 'domain')}", "<wireguard.service>.<network.domain>",
                      ("wireguard", "service")),
        "INTERNAL_SUBNET": (str(tunnel.network_address), "wireguard.tunnel's network", ("wireguard", "tunnel")),
    }
    problems = []
    if key in expected and text != expected[key][0]:
        value, what, source = expected[key]
        problems.append(f"{where}: {key} {text} differs from {what} {value} ({inv.at(*source)})")
    if key == "ALLOWEDIPS":
        listed = [item.strip() for item in text.split(",")]
        for network, source in ((inv.get("network", "lan"), ("network", "lan")), (str(tunnel), ("wireguard", "tunnel"))):
            if network not in listed:
                problems.append(f"{where}: ALLOWEDIPS {text} lacks {'.'.join(source)} {network} ({inv.at(*source)})")
    for match in re.finditer(r"ListenPort\s*=\s*(\d+)", text):
        if match.group(1) != port:
            problems.append(f"{where}: WireGuard ListenPort {match.group(1)} differs from wireguard.port {port} "
                            f"({inv.at('wireguard', 'port')})")
    return problems


def _named_service_problems(inv, files):
    """The services the inventory names (wireguard.service, vps.public-services, services[].name)
    have a directory under kubernetes/base, once there is one."""
    services = {os.path.basename(os.path.dirname(path)) for path in files if path.startswith("kubernetes/base/")}
    if not services:
        return []
    problems = []
    named = [(inv.get("wireguard", "service"), ("wireguard", "service"))]
    named += [(name, ("vps", "public-services", i)) for i, name in enumerate(inv.get("vps", "public-services") or [])]
    named += [(service.get("name"), ("services", i, "name")) for i, service in enumerate(inv.get("services") or [])]
    for name, source in named:
        if name is not None and name not in services:
            problems.append(f"{inv.at(*source)}: {'.'.join(map(str, source))} names the service '{name}', which has no "
                            "directory under kubernetes/base")
    return problems


# -- addresses of the LAN written anywhere ---------------------------------------------------------

def tracked_text_files(repo):
    """The repository's files under TEXT_ROOTS (tracked, or new and not ignored), by path."""
    try:
        listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=repo, capture_output=True,
                                text=True, check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        listed = [os.path.relpath(os.path.join(d, n), repo) for d, _, names in os.walk(repo) for n in names]
    texts = {}
    for path in sorted(listed):
        if not path.startswith(TEXT_ROOTS) or not os.path.isfile(os.path.join(repo, path)):
            continue
        try:
            with open(os.path.join(repo, path), encoding="utf-8") as handle:
                texts[path] = handle.read()
        except UnicodeDecodeError:
            continue
    return texts


def address_problems(inv, texts):
    """An address of network.lan written outside the inventory must be one the inventory has
    (gateway, Proxmox host, VIP, a node): another is a copy that drifted."""
    lan = ipaddress.ip_network(inv.get("network", "lan"))
    known = {inv.get("network", "gateway"), inv.get("proxmox", "address"), inv.get("talos", "vip")}
    known |= {node.get("ip") for node in inv.get("talos", "nodes") or []}
    known |= set((inv.get("network", "loadbalancer-addresses") or {}).values())
    pool = inv.get("network", "loadbalancer-range")
    problems = []
    for path, text in sorted(texts.items()):
        for number, line in enumerate(text.splitlines(), 1):
            for match in IPV4.finditer(line):
                address, prefix = match.group(1), match.group(2)
                try:
                    ip = ipaddress.ip_address(address)
                except ValueError:
                    continue
                if ip not in lan or address in known:
                    continue
                if prefix and ipaddress.ip_network(address + prefix, strict=False) == lan:
                    continue  # the LAN itself
                if prefix and pool and address + prefix == pool:
                    continue  # the load balancers' range
                problems.append(f"{path}:{number}: {address} is in network.lan {lan} ({inv.at('network', 'lan')}) but is none of the "
                                "inventory's addresses (network.gateway, proxmox.address, talos.vip, talos.nodes[].ip, "
                                "network.loadbalancer-range, network.loadbalancer-addresses)")
    return problems


# -- Cilium's load-balancer addresses ----------------------------------------------------------------

LB_POOL = ("cilium.io", "CiliumLoadBalancerIPPool")
LB_PIN = "lbipam.cilium.io/ips"


def loadbalancer_problems(inv, files):
    """Cilium's LoadBalancerIPPools hold exactly network.loadbalancer-range, and the Services pin
    exactly network.loadbalancer-addresses (each named Service has its address, no other pin)."""
    problems = []
    block = inv.get("network", "loadbalancer-range")
    pinned = dict(inv.get("network", "loadbalancer-addresses") or {})
    range_at, pins_at = inv.at("network", "loadbalancer-range"), inv.at("network", "loadbalancer-addresses")
    pools, seen = 0, set()
    for file, located in sorted(files.items()):
        for index, document in enumerate(_construct(node) for node in located.documents):
            if not isinstance(document, dict):
                continue
            group = str(document.get("apiVersion", "")).split("/")[0]
            if (group, document.get("kind")) == LB_POOL:
                pools += 1
                blocks = (document.get("spec") or {}).get("blocks") or []
                found = [entry.get("cidr") or f"{entry.get('start')}-{entry.get('stop')}" for entry in blocks]
                if found != [block]:
                    problems.append(f"{file}:{_line(located.node('spec', 'blocks', document=index) or located.documents[index])}: pool blocks {found} "
                                    f"are not network.loadbalancer-range [{block}] ({range_at})")
            if document.get("kind") != "Service":
                continue
            metadata = document.get("metadata") or {}
            name, pin = metadata.get("name"), (metadata.get("annotations") or {}).get(LB_PIN)
            if pin is None:
                continue
            seen.add(name)
            where = f"{file}:{_line(located.node('metadata', 'annotations', LB_PIN, document=index))}"
            if name not in pinned:
                problems.append(f"{where}: Service {name} pins {pin}, but network.loadbalancer-addresses ({pins_at}) "
                                "has no address for it")
            elif pin != pinned[name]:
                problems.append(f"{where}: Service {name} pins {pin}, not network.loadbalancer-addresses.{name} "
                                f"{pinned[name]} ({inv.at('network', 'loadbalancer-addresses', name)})")
    if block is not None and pools == 0:
        problems.append(f"{range_at}: network.loadbalancer-range {block} has no CiliumLoadBalancerIPPool in kubernetes/")
    for name in sorted(set(pinned) - seen):
        problems.append(f"{inv.at('network', 'loadbalancer-addresses', name)}: network.loadbalancer-addresses.{name} "
                        f"{pinned[name]} is pinned by no Service {name} (annotation {LB_PIN})")
    return problems
