import Foundation
import HomelabCore
import Testing

/// `${storage...}` in runbooks: the datasets, tags and tiers of storage/, read at plan time and
/// checked like `${inventory...}` (a wrong key is reported at its column, with a suggestion).
@Suite struct StorageExpressionTests {
    func compile(_ steps: String, files: StorageFiles, storage: String? = nil) -> RunbookCompiler.Compiled {
        let text = "runbook: t\nsteps:\n" + steps
        return RunbookCompiler(registry: .builtin).compile(
            text: text, path: files.root + "/r.yaml", inventory: files.inventory, storage: storage ?? files.storage)
    }

    func inputs(_ plan: Plan?) -> [String: String] {
        var result: [String: String] = [:]
        for step in plan?.steps ?? [] {
            if let command = step.inputs.first(where: { $0.0 == "command" })?.1.value { result[step.id] = command.text }
        }
        return result
    }

    @Test func namesTagsAndTiersResolveAtPlanTime() throws {
        let files = try StorageFiles()
        let compiled = compile(
            """
              - id: bucket
                uses: exec
                with: {command: "echo ${storage.tiers.cloud.bucket} ${storage.tiers.cloud.prefix} ${storage.replica-pool} ${storage.snapshot-prefix}"}
              - id: keep
                uses: exec
                with: {command: "echo ${storage.retention.critical.local.keep} ${storage.retention.critical.cloud.max-age} ${storage.tiers.cloud.full-every}"}
              - id: critical
                uses: exec
                for-each: ${storage.tagged.critical}
                with: {command: "echo ${item}"}
              - id: every
                uses: exec
                for-each: ${storage.datasets}
                with: {command: "echo ${item}"}
              - id: restore
                uses: exec
                for-each: ${storage.backed-up}
                with: {command: "echo ${item.name} to ${item.replica} via ${item.tiers[0]}"}
            """, files: files)
        #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.map(\.rendered))")
        let commands = inputs(compiled.plan)
        #expect(commands["bucket"] == "echo homelab-backups homelab/ backup homelab-")
        #expect(commands["keep"] == "echo 48 1d 30", "full-every's default when the policy gives none")
        #expect(commands["critical[tank/apps/immich]"] == "echo tank/apps/immich")
        #expect(compiled.plan?.steps.filter { $0.step == "every" }.map(\.id) == ["every[tank/apps]", "every[tank/apps/immich]", "every[tank/media]"])
        #expect(commands["restore[tank/media]"] == "echo tank/media to backup/media via local")
        #expect(commands["restore[tank/apps]"] == nil, "an untagged parent is not restored")
    }

    @Test func aWrongKeyIsReportedAtItsColumnWithASuggestion() throws {
        let files = try StorageFiles()
        let compiled = compile(
            "  - id: a\n    uses: exec\n    with: {command: \"echo ${storage.tiers.cloud.bucket} ${storage.taged.critical}\"}\n", files: files)
        #expect(
            compiled.diagnostics.map { $0.rendered.replacingOccurrences(of: files.root + "/", with: "") } == [
                "r.yaml:5:67: error: storage/ has no key 'taged' under 'storage' (did you mean 'tagged'?)"
            ])
    }

    @Test func aRunbookReadingStorageWithoutOneIsToldHowToGiveIt() throws {
        let files = try StorageFiles()
        let compiled = compile("  - id: a\n    uses: exec\n    with: {command: \"echo ${storage.datasets}\"}\n", files: files, storage: files.root + "/none")
        let lines = compiled.diagnostics.map { $0.rendered.replacingOccurrences(of: files.root + "/", with: "") }
        #expect(
            lines == ["none:1:1: error: storage folder not found (it holds datasets.yaml and policy.yaml); pass --storage DIR"],
            "reads are left open, not reported twice")
    }

    @Test func storageMistakesFailTheRunbookThatReadsItButNotOthers() throws {
        let files = try StorageFiles(datasets: "datasets:\n  - name: tank/a\n    tags: [gold]\n")
        let reading = compile("  - id: a\n    uses: exec\n    with: {command: \"echo ${storage.datasets}\"}\n", files: files)
        #expect(
            reading.diagnostics.map(\.rendered).contains {
                $0.hasSuffix("storage/datasets.yaml:3:12: error: unknown tag 'gold'; tags are: critical, standard, scratch")
            })
        let other = compile("  - id: a\n    uses: exec\n    with: {command: \"echo ${inventory.proxmox.address}\"}\n", files: files)
        #expect(other.diagnostics.isEmpty)
    }
}
