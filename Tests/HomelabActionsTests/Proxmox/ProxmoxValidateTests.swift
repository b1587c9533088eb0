import Foundation
import HomelabActions
import HomelabCore
import Testing

/// `proxmox.vm` checks the VM spec at plan time (`Action.validate`): `validate` and `plan` report
/// a wrong key of an inventory entry at the inventory's line and column, before anything runs.
@Suite("Proxmox plan-time validation")
struct ProxmoxValidateTests {
    static let inventory = """
        proxmox: { api: "https://192.0.2.10:8006/api2/json", node: pve }
        talos:
          nodes:
            - { name: cp-1, vmid: 201, mac: "BC:24:11:00:02:01" }
            - name: cp-2
              vmid: 202
              mac: BC-24-11-00-02-02
        """

    /// Loads and plans a runbook of `steps` beside the inventory above; the diagnostics as
    /// `file:line:col: message`. The header is five lines, so the steps begin at line 6.
    static func diagnostics(steps: String) throws -> [String] {
        let runbook = """
            runbook: validate
            inventory: inventory.yaml
            secrets:
              proxmox-token: { env: PROXMOX_TOKEN }
            steps:

            """ + steps
        let directory = NSTemporaryDirectory() + "homelab-validate-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try inventory.write(toFile: directory + "/inventory.yaml", atomically: true, encoding: .utf8)
        try runbook.write(toFile: directory + "/runbook.yaml", atomically: true, encoding: .utf8)
        let registry = ActionCatalog.standard(Integrations())
        let diagnostics = RunbookCompiler(registry: registry).compile(path: directory + "/runbook.yaml").diagnostics
        return diagnostics.sorted.map { "\(($0.location.file as NSString).lastPathComponent):\($0.location.line):\($0.location.column): \($0.message)" }
    }

    @Test func aBadMACInTheInventoryIsReportedAtItsLineAndColumnInTheInventory() throws {
        let found = try Self.diagnostics(
            steps: """
                  - id: talos-vm
                    uses: proxmox.vm
                    for-each: ${inventory.talos.nodes}
                    with: { proxmox: "${inventory.proxmox}", token: "${secrets.proxmox-token}", vm: "${item}" }
                """)
        #expect(
            found == [
                "inventory.yaml:7:12: input 'vm' of step 'talos-vm[cp-2]': 'mac' of cp-2 must be a MAC address such as BC:24:11:00:02:01, found 'BC-24-11-00-02-02'"
            ])
    }

    @Test func anEntryReadStraightFromTheInventoryIsReportedThereToo() throws {
        let found = try Self.diagnostics(
            steps: """
                  - id: cp-2
                    uses: proxmox.vm
                    with: { proxmox: "${inventory.proxmox}", token: "${secrets.proxmox-token}", vm: "${inventory.talos.nodes[1]}" }
                """)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("inventory.yaml:7:12: input 'vm' of step 'cp-2': 'mac' of cp-2") == true, "\(found)")
    }

    @Test func aSpecWrittenInTheRunbookIsReportedInTheRunbook() throws {
        let found = try Self.diagnostics(
            steps: """
                  - id: scratch
                    uses: proxmox.vm
                    with:
                      proxmox: "${inventory.proxmox}"
                      token: "${secrets.proxmox-token}"
                      vm: { vmid: 42, name: scratch }
                """)
        #expect(found == ["runbook.yaml:11:19: input 'vm' of step 'scratch': 'vmid' of scratch must be between 100 and 999999999, found 42"])
    }

    @Test func aVMIDOutOfRangeIsReportedBeforeTheRun() throws {
        let found = try Self.diagnostics(
            steps: """
                  - id: start
                    uses: proxmox.start
                    with: { proxmox: "${inventory.proxmox}", token: "${secrets.proxmox-token}", vmid: 7 }
                """)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("runbook.yaml:8:87: input 'vmid' of step 'start': 'vmid' must be a VM id") == true, "\(found)")
    }
}
