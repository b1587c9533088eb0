import Foundation
import HomelabCore
import LabSupport
import Testing

@testable import HomelabActions

/// The Ansible inventory is generated from homelab's inventory and storage/, and the committed
/// ansible/inventory/hosts.yml is exactly that output.
struct AnsibleInventoryTests {
    @Test func theCommittedInventoryIsTheGeneratedOne() throws {
        let root = LabFixture.repositoryRoot.path
        let (generated, diagnostics) = AnsibleInventory.render(inventoryPath: root + "/inventory.yaml", storage: root + "/storage")
        #expect(diagnostics.isEmpty, "\(diagnostics.sorted.map(\.rendered))")
        let committed = try String(contentsOfFile: root + "/ansible/inventory/hosts.yml", encoding: .utf8)
        #expect(
            committed == generated,
            "ansible/inventory/hosts.yml is stale: run 'homelab ansible inventory > ansible/inventory/hosts.yml' and commit it")
    }

    @Test func hostsComeWithHowTheyAreReached() throws {
        let inventory: Value = .map([
            ("site", .string("home")),
            ("network", .map([("lan", .string("192.168.10.0/24"))])),
            (
                "proxmox",
                .map([
                    ("host", .string("pve")), ("address", .string("192.168.10.2")),
                    (
                        "ssh",
                        .map([
                            ("user", .string("root")), ("port", .int(22)), ("key", .string("~/.ssh/id_ed25519")),
                            ("known-hosts", .string("~/.ssh/known_hosts")), ("host-key-policy", .string("accept-new")),
                        ])
                    ),
                ])
            ),
            ("zfs", .map([("pools", .list([.map([("name", .string("tank")), ("vdevs", .list([.string("mirror"), .string("/dev/sda")]))])]))])),
        ])
        let datasets: [Value] = [.map([("name", .string("tank/apps")), ("properties", .map([("atime", .string("off")), ("recordsize", .string("128K"))]))])]
        let text = try AnsibleInventory(inventory: inventory, datasets: datasets).yaml()
        #expect(
            text == AnsibleInventory.header + """
                all:
                  children:
                    proxmox:
                      hosts:
                        pve:
                          ansible_host: "192.168.10.2"
                          ansible_port: 22
                          ansible_user: root
                          ansible_ssh_private_key_file: "~/.ssh/id_ed25519"
                          ansible_ssh_common_args: "-o UserKnownHostsFile=~/.ssh/known_hosts -o StrictHostKeyChecking=accept-new"
                  vars:
                    homelab_lan: "192.168.10.0/24"
                    zfs_pools:
                      - name: tank
                        vdevs:
                          - mirror
                          - /dev/sda
                    zfs_datasets:
                      - name: tank/apps
                        properties:
                          atime: "off"
                          recordsize: "128K"

                """)
    }

    @Test func aWrongPortOrPolicyIsNamed() {
        let bad: Value = .map([("proxmox", .map([("address", .string("h")), ("ssh", .map([("port", .string("ssh"))]))]))])
        #expect(throws: AnsibleInventoryError.self) { try AnsibleInventory(inventory: bad).generate() }
        let policy: Value = .map([("proxmox", .map([("address", .string("h")), ("ssh", .map([("host-key-policy", .string("yolo"))]))]))])
        #expect {
            try AnsibleInventory(inventory: policy).generate()
        } throws: {
            "\($0)" == "inventory entry 'proxmox': ssh.host-key-policy must be strict or accept-new, found 'yolo'"
        }
    }
}
