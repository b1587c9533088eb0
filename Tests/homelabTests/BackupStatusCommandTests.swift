import Foundation
import LabSupport
import Testing

/// `homelab backup status` as the operator runs it: the table, --json, --tier, and the exit
/// codes its help promises (0 within policy, 1 errors or unreadable, 4 behind).
@Suite struct BackupStatusCommandTests {
    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "homelab-backup-status-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path + "/storage", withIntermediateDirectories: true)
        return path
    }

    func write(_ folder: String, inventory: String, datasets: String) throws {
        try inventory.write(toFile: folder + "/inventory.yaml", atomically: true, encoding: .utf8)
        try datasets.write(toFile: folder + "/storage/datasets.yaml", atomically: true, encoding: .utf8)
        try """
        snapshots: {prefix: homelab-}
        tags:
          standard:
            local: {keep: 14, max-age: 1d}
            replica: {keep: 8, max-age: 1d}
          scratch:
            local: {keep: 3, max-age: 1d}
        tiers:
          replica: {pool: backup}
        """.write(toFile: folder + "/storage/policy.yaml", atomically: true, encoding: .utf8)
    }

    static let pools = "zfs:\n  pools:\n    - {name: tank, vdevs: [/a]}\n    - {name: backup, vdevs: [/b]}\n"

    @Test func theHelpListsTheExitCodes() throws {
        let help = try CommandRunner.run(["backup", "status", "--help"]).stdout
        #expect(help.contains("4 a tier is behind its policy"))
        #expect(try CommandRunner.run(["--help"]).stdout.contains("4 backup status: a tier is behind its policy"))
    }

    @Test func storageMistakesAreDiagnosticsLikeRunbooks() throws {
        let folder = try folder()
        try write(folder, inventory: "proxmox: {address: 127.0.0.1}\n" + Self.pools, datasets: "datasets:\n  - name: tank/a\n    tags: [standad]\n")
        let result = try CommandRunner.run(["backup", "status", "--storage", folder + "/storage", "--inventory", folder + "/inventory.yaml"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr.contains(
                "\(folder)/storage/datasets.yaml:3:12: error: unknown tag 'standad' (did you mean 'standard'?); tags are: critical, standard, scratch"))
    }

    @Test func anUnreachableHostIsUnknownNotFresh() throws {
        let folder = try folder()
        let port = try RefusingPort()
        try write(
            folder, inventory: "proxmox:\n  address: 127.0.0.1\n  ssh: {port: \(port.port), known-hosts: \(folder)/kh}\n" + Self.pools,
            datasets: "datasets:\n  - name: tank/a\n    tags: [standard]\n")
        let result = try CommandRunner.run(["backup", "status", "--storage", folder + "/storage", "--inventory", folder + "/inventory.yaml", "--tier", "local"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("tank/a   local  -       -    1d       0/14  unknown"), "\(result.stdout)")
        #expect(result.stdout.contains("unknown: cannot reach root@127.0.0.1:\(port.port)"))
    }

    @Test func againstTheZFSLabHost() async throws {
        let lab = try await ZFSHostLab.start(seed: true, replica: true)
        defer { lab.fixture.stopInBackground() }
        let folder = try folder()
        let inventory = """
            proxmox:
              address: \(lab.host)
              ssh: {user: \(lab.user), port: \(lab.port), key: \(lab.key), known-hosts: \(lab.knownHosts), host-key-policy: strict}

            """ + Self.pools
        try write(
            folder, inventory: inventory,
            datasets: "datasets:\n  - name: tank/apps\n  - name: tank/apps/immich\n    tags: [standard]\n  - name: tank/media\n    tags: [standard]\n")
        let arguments = ["backup", "status", "--storage", folder + "/storage", "--inventory", folder + "/inventory.yaml"]
        let fresh = try await offCooperativePool { try CommandRunner.run(arguments) }
        #expect(fresh.status == 0, "\(fresh.stdout)\(fresh.stderr)")
        #expect(fresh.stdout.contains("backup/") == false, "the table names datasets, the JSON their locations")
        #expect(fresh.stdout.split(separator: "\n").filter { $0.contains("homelab-2026-12-01-0300") && $0.hasSuffix("fresh") }.count == 4)
        #expect(fresh.stdout.contains("all 4 within their policy"))

        // A dataset the host does not have is behind its policy: exit 4, in JSON too.
        try "datasets:\n  - name: tank/media\n    tags: [standard]\n  - name: tank/scratch\n    tags: [scratch]\n".write(
            toFile: folder + "/storage/datasets.yaml", atomically: true, encoding: .utf8)
        let behind = try await offCooperativePool { try CommandRunner.run(arguments + ["--json", "--tier", "local"]) }
        #expect(behind.status == 4)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(behind.stdout.utf8)) as? [String: Any])
        #expect(json["behind"] as? Bool == true)
        let tiers = try #require(json["tiers"] as? [[String: Any]])
        #expect(tiers.map { $0["state"] as? String } == ["fresh", "missing"])
        #expect(tiers[0]["snapshot"] as? String == "homelab-2026-12-01-0300")
        #expect(tiers[0]["guid"] as? String == lab.seededGuids("tank/media")["homelab-2026-12-01-0300"])
    }
}
