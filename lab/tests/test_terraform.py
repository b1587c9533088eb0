"""terraform/ parsed by a real HCL2 parser (python-hcl2; no terraform binary can be installed
here): every file parses, every value it reads from inventory.yaml is there (so renaming an
inventory key breaks this test, not a `terraform plan` months later), variables are only
credentials, providers are pinned, templates get every name they use."""
import copy
import os
import re
import shutil
import sys
import tempfile
import unittest

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # the helpers, however unittest was started
import terraformcheck as check  # noqa: E402


def load_inventory():
    with open(os.path.join(check.REPO, "inventory.yaml"), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class TerraformTest(unittest.TestCase):
    def test_the_architecture_layout_is_there(self):
        for name in ["proxmox/main.tf", "proxmox/talos-vms.tf", "proxmox/gaming-vms.tf", "proxmox/variables.tf",
                     "proxmox/outputs.tf", "cloud/oracle-cloud/main.tf", "cloud/oracle-cloud/variables.tf",
                     "cloud/oracle-cloud/outputs.tf"]:
            self.assertTrue(os.path.isfile(os.path.join(check.TERRAFORM, name)), f"terraform/{name} is missing")

    def test_every_file_parses_as_hcl2(self):
        files = check.tf_files()
        self.assertGreaterEqual(len(files), 8)
        for path in files:
            with self.subTest(path=check.relative(path)):
                try:
                    check.parse(path)
                except Exception as error:  # the parser's own error says where
                    self.fail(f"{check.relative(path)} does not parse: {error}")

    def test_a_parse_error_is_caught(self):
        with tempfile.TemporaryDirectory() as scratch:
            path = os.path.join(scratch, "broken.tf")
            with open(path, "w") as handle:
                handle.write('resource "proxmox_virtual_environment_vm" "x" {\n  name = \n}\n')
            with self.assertRaises(Exception):
                check.parse(path)

    def test_every_module_reads_the_inventory_from_the_repository_root(self):
        for module in check.modules():
            with self.subTest(module=check.relative(module)):
                with open(os.path.join(module, "main.tf"), encoding="utf-8") as handle:
                    text = handle.read()
                match = re.search(r'inventory\s*=\s*yamldecode\(file\("\$\{path\.module\}/([./]+)inventory\.yaml"\)\)', text)
                self.assertIsNotNone(match, f"{check.relative(module)}/main.tf does not read inventory.yaml with yamldecode(file(...))")
                self.assertEqual(os.path.normpath(os.path.join(module, match.group(1), "inventory.yaml")),
                                 os.path.join(check.REPO, "inventory.yaml"))

    def test_every_inventory_reference_exists(self):
        inventory = load_inventory()
        problems = [p for module in check.modules() for p in check.module_inventory_problems(module, inventory)]
        self.assertEqual(problems, [], "\n".join(problems))

    def test_the_modules_really_read_the_inventory(self):
        """Guards the checker itself: it must see the references, or it would pass vacuously."""
        text = "".join(check.read(path) for path in check.tf_files())
        for needle in ["local.inventory.talos.nodes", "local.inventory.gaming", "local.inventory.drill.bridge",
                       "local.inventory.vps", "local.inventory.wireguard", "each.value.vmid", "each.value.mac"]:
            self.assertIn(needle, text)

    def test_a_renamed_inventory_key_is_reported_where_it_is_read(self):
        cases = [
            (lambda inv: inv["talos"]["nodes"][1].pop("mac"), "talos-vms.tf", "has no 'mac'"),
            (lambda inv: inv["gaming"][0].update({"v-mid": inv["gaming"][0].pop("vmid")}), "gaming-vms.tf", "has no 'vmid'"),
            (lambda inv: inv["drill"].update({"bridges": inv["drill"].pop("bridge")}), "drill-network.tf", "'bridge' is not there"),
            (lambda inv: inv["talos"]["iso"].pop("checksum-algorithm"), "talos-vms.tf", "'checksum-algorithm' is not there"),
            (lambda inv: inv["vps"].pop("memory-gb"), "instance.tf", "'memory-gb' is not there"),
            (lambda inv: inv["wireguard"].pop("port"), "network.tf", "'port' is not there"),
            (lambda inv: [vm.pop("secure-boot", None) for vm in inv["gaming"]], "gaming-vms.tf", "lookup of 'secure-boot'"),
        ]
        for mutate, file_name, message in cases:
            inventory = copy.deepcopy(load_inventory())
            mutate(inventory)
            problems = [p for module in check.modules() for p in check.module_inventory_problems(module, inventory)]
            with self.subTest(expected=message):
                self.assertTrue(any(file_name in p and message in p for p in problems), "\n".join(problems) or "no problem found")
                self.assertTrue(all(re.match(r"terraform/[\w/.-]+\.tf:\d+: ", p) for p in problems), problems)

    def test_variables_are_credentials_only(self):
        problems = [p for path in check.tf_files() for p in check.variable_problems(path)]
        self.assertEqual(problems, [], "\n".join(problems))
        names = {name for path in check.tf_files() for block in check.parse(path).get("variable", []) for name in block}
        self.assertIn("proxmox_api_token", names)

    def test_a_variable_with_a_default_or_an_unmarked_secret_is_reported(self):
        with tempfile.TemporaryDirectory() as scratch:
            path = os.path.join(scratch, "variables.tf")
            with open(path, "w") as handle:
                handle.write('variable "vmid" {\n  type    = number\n  default = 201\n}\n\n'
                             'variable "api_token" {\n  description = "x"\n  type        = string\n}\n')
            problems = check.variable_problems(path)
        self.assertTrue(any("'vmid' has a default" in p for p in problems), problems)
        self.assertTrue(any("'vmid' has no description" in p for p in problems), problems)
        self.assertTrue(any("'api_token' looks like a credential" in p and ":6:" in p for p in problems), problems)

    def test_providers_are_pinned(self):
        problems = [p for module in check.modules() for p in check.provider_problems(module)]
        self.assertEqual(problems, [], "\n".join(problems))

    def test_an_unpinned_provider_is_reported(self):
        with tempfile.TemporaryDirectory() as scratch:
            with open(os.path.join(scratch, "main.tf"), "w") as handle:
                handle.write('terraform {\n  required_providers {\n    oci = {\n      source  = "oracle/oci"\n'
                             '      version = ">= 6.0"\n    }\n  }\n}\n\nresource "random_id" "x" {\n  byte_length = 4\n}\n')
            problems = check.provider_problems(scratch)
        self.assertTrue(any("'oci'" in p and "not pinned" in p for p in problems), problems)
        self.assertTrue(any("provider 'random' is not in required_providers" in p for p in problems), problems)

    def test_templates_get_every_name_they_use(self):
        problems = [p for module in check.modules() for p in check.template_problems(module)]
        self.assertEqual(problems, [], "\n".join(problems))

    def test_a_template_name_not_passed_is_reported(self):
        module = os.path.join(check.TERRAFORM, "cloud", "oracle-cloud")
        with tempfile.TemporaryDirectory() as scratch:
            for name in os.listdir(module):
                shutil.copy(os.path.join(module, name), scratch)
            template = os.path.join(scratch, "cloud-init.yaml.tftpl")
            with open(template, "a") as handle:
                handle.write("# ${wireguard_mtu}\n")
            problems = check.template_problems(scratch)
        self.assertTrue(any("uses 'wireguard_mtu'" in p for p in problems), problems)

    def test_files_are_in_terraform_fmt_style(self):
        problems = [p for path in check.tf_files() for p in check.fmt_problems(path)]
        self.assertEqual(problems, [], "\n".join(problems))

    def test_fmt_style_problems_are_reported(self):
        with tempfile.TemporaryDirectory() as scratch:
            path = os.path.join(scratch, "main.tf")
            with open(path, "w") as handle:
                handle.write('resource "x_y" "z" {\n  name = "a"\n  node_name = "b"\n\n   tags  = {\n    a = 1\n  }\n}\n\n')
            problems = check.fmt_problems(path)
        self.assertTrue(any(":2: '=' at column 8, terraform fmt puts it at column 13" in p for p in problems), problems)
        self.assertTrue(any(":5: indented 3 spaces, terraform fmt indents 2" in p for p in problems), problems)
        self.assertTrue(any(":5: one space around '='" in p for p in problems), problems)
        self.assertTrue(any("end with exactly one newline" in p for p in problems), problems)
        self.assertEqual(len(problems), 4, problems)

    def test_the_cloud_init_template_renders_to_cloud_config(self):
        """Rendered with the inventory's values (the subset of Terraform's template language the
        file uses: interpolations, replace(), one for loop), it is YAML with every file and the
        Traefik configuration parses too; an indentation slip in the template fails here."""
        inventory = load_inventory()
        vps, wireguard = inventory["vps"], inventory["wireguard"]
        values = {"ssh_user": vps["ssh-user"], "wireguard_port": wireguard["port"], "vps_address": wireguard["vps-address"],
                  "homelab_address": wireguard["homelab-address"], "tunnel_prefix": wireguard["tunnel"].split("/")[1],
                  "tunnel": wireguard["tunnel"], "lan": inventory["network"]["lan"], "homelab_public_key": "cHVibGlj",
                  "homelab_endpoint": f"{wireguard['service']}.{inventory['network']['domain']}",
                  "traefik_version": vps["traefik-version"], "vault_version": vps["vault-version"], "vault_port": vps["vault-port"],
                  "public_hosts": [f"{name}.{inventory['network']['domain']}" for name in vps["public-services"]]}
        template = check.read(os.path.join(check.TERRAFORM, "cloud", "oracle-cloud", "cloud-init.yaml.tftpl"))
        functions = {"replace": lambda text, old, new: text.replace(old, new)}

        def interpolate(text, scope):
            return re.sub(r"\$\{([^}]*)\}", lambda m: str(eval(m.group(1), dict(functions), scope)), text)

        def loop(match):
            return "".join(interpolate(match.group(3), {**values, match.group(1): item}) for item in values[match.group(2)])

        rendered = interpolate(re.sub(r"%\{ for (\w+) in (\w+) \}(.*?)%\{ endfor \}", loop, template, flags=re.S), values)
        config = yaml.safe_load(rendered)
        self.assertTrue(rendered.startswith("#cloud-config\n"))
        files = {entry["path"]: entry["content"] for entry in config["write_files"]}
        self.assertIn(f"ListenPort = {wireguard['port']}", files["/etc/wireguard/wg0.conf"])
        routes = yaml.safe_load(files["/etc/traefik/routes.yaml"])["tcp"]
        self.assertEqual(sorted(router["rule"] for router in routes["routers"].values()),
                         sorted(f"HostSNI(`{host}`)" for host in values["public_hosts"]))
        self.assertEqual(routes["services"]["homelab"]["loadBalancer"]["servers"], [{"address": f"{wireguard['homelab-address']}:443"}])
        self.assertEqual(yaml.safe_load(files["/etc/traefik/traefik.yaml"])["entryPoints"]["websecure"]["address"], ":443")
        self.assertIn(f'address         = "{wireguard["vps-address"]}:{vps["vault-port"]}"', files["/etc/vault.d/vault.hcl"])
        self.assertTrue(any("wg genkey" in " ".join(command) for command in config["runcmd"] if isinstance(command, list)))

    def test_no_value_of_the_inventory_is_written_in_terraform(self):
        """Addresses, VMIDs and the domain come from the inventory; a literal copy would drift."""
        inventory = load_inventory()
        literals = {inventory["network"]["domain"], inventory["network"]["lan"], inventory["proxmox"]["address"],
                    inventory["talos"]["vip"], inventory["wireguard"]["tunnel"], inventory["vps"]["vcn"],
                    inventory["vps"]["subnet"], inventory["talos"]["schematic"]}
        literals |= {node["ip"] for node in inventory["talos"]["nodes"]} | {node["mac"] for node in inventory["talos"]["nodes"]}
        for path in check.tf_files():
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            for literal in sorted(literals):
                with self.subTest(path=check.relative(path), literal=literal):
                    self.assertNotIn(literal, text, f"{check.relative(path)} copies {literal} from inventory.yaml: read it from local.inventory")
            for vm in inventory["talos"]["nodes"] + inventory["gaming"]:
                self.assertIsNone(re.search(rf"\b{vm['vmid']}\b", check.strip_comments(text)),
                                  f"{check.relative(path)} copies VMID {vm['vmid']} from inventory.yaml")


if __name__ == "__main__":
    unittest.main()
