import Foundation
import Testing

@Suite("homelab ansible inventory")
struct AnsibleInventoryCommandTests {
    @Test func printsTheCommittedInventory() throws {
        let result = try CommandRunner.run(["ansible", "inventory"])
        #expect(result.status == 0, "\(result.stderr)")
        let committed = try String(contentsOfFile: CommandRunner.repository.appendingPathComponent("ansible/inventory/hosts.yml").path, encoding: .utf8)
        #expect(result.stdout == committed, "ansible/inventory/hosts.yml is stale: homelab ansible inventory > ansible/inventory/hosts.yml")
    }

    @Test func aBrokenStorageFolderIsNamedWithItsPlace() throws {
        let folder = NSTemporaryDirectory() + "homelab-storage-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "datasets:\n  - name: tank/a\n    properties: [lz4]\n".write(toFile: folder + "/datasets.yaml", atomically: true, encoding: .utf8)
        let policy = CommandRunner.repository.appendingPathComponent("storage/policy.yaml").path
        try FileManager.default.copyItem(atPath: policy, toPath: folder + "/policy.yaml")
        let result = try CommandRunner.run(["ansible", "inventory", "--storage", folder])
        #expect(result.status == 1)
        #expect(result.stderr.contains("datasets.yaml:3:17: error: 'properties' must be a mapping, found a list"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
