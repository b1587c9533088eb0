import Foundation
import Testing

/// `homelab validate` checks the inventory's drill sandbox against storage/: a drill prefix
/// that holds real datasets is reported at its line, so a drill can never be aimed at them.
@Suite struct ValidateDrillBoundsCommandTests {
    @Test func aDrillPrefixOverRealDatasetsIsReportedAtItsLine() throws {
        let root = NSTemporaryDirectory() + "homelab-drill-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let repository = CommandRunner.repository.path
        try FileManager.default.copyItem(atPath: repository + "/storage", toPath: root + "/storage")
        let original = try String(contentsOfFile: repository + "/inventory.yaml", encoding: .utf8)
        #expect(original.contains("dataset-prefix: tank/drill"))
        let broken = original.replacingOccurrences(of: "dataset-prefix: tank/drill", with: "dataset-prefix: tank/apps")
        try broken.write(toFile: root + "/inventory.yaml", atomically: true, encoding: .utf8)
        let line = try #require(broken.components(separatedBy: "\n").firstIndex { $0.contains("dataset-prefix: tank/apps") }) + 1

        let arguments = ["validate", "runbooks/backup.yaml", "--storage", root + "/storage", "--inventory", root + "/inventory.yaml"]
        let result = try CommandRunner.run(arguments + ["--color", "never"])
        #expect(result.status != 0)
        let finding = result.stderr.components(separatedBy: "\n").first { $0.hasPrefix(root + "/inventory.yaml:\(line):") }
        #expect(finding?.contains("tank/apps") == true, "\(result.stderr)")

        // The shipped inventory's bounds pass.
        let clean = try CommandRunner.run(["validate", "runbooks/backup.yaml", "--storage", "storage", "--inventory", "inventory.yaml"])
        #expect(clean.status == 0, "\(clean.stderr)")
    }
}
