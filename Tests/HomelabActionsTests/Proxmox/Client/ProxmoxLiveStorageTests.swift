import Foundation
import HomelabTransport
import Testing

@testable import HomelabActions

/// Restore, power, the guest agent and ISOs against the lab's Proxmox double over HTTPS.
@Suite(.serialized) struct ProxmoxLiveStorageTests {
    func session(_ lab: ProxmoxClientLab) async throws -> (any ProxmoxAPI, ProxmoxTaskWaiter) {
        let context = ClientLabContext()
        let api = try await LiveProxmoxConnector(trust: FingerprintTrust()).connect(lab.endpoint(), context: context)
        return (api, ProxmoxTaskWaiter(api: api, context: context, pollInterval: .milliseconds(200)))
    }

    @Test func restoreTheNewestBackupStartItAndAskItsAgent() async throws {
        let lab = try await ProxmoxClientLab.start()
        try await lab.post("/settings", ["agent_delay": 0.2])
        let (api, waiter) = try await session(lab)
        let backups = try await api.content(storage: "backup-hdd", content: "backup", vmid: 301)
        let newest = try #require(backups.max { ($0.ctime ?? 0) < ($1.ctime ?? 0) })
        #expect(newest.volid.contains("2026_11_26"))

        let restore = try #require(
            try await api.restore(
                vmid: 301, archive: newest.volid, storage: "local-zfs", force: false,
                overrides: ["name": .string("windows")]))
        #expect(try await waiter.wait(restore, timeout: .seconds(30), what: "restore VM 301").succeeded)
        #expect(try await api.config(vmid: 301)?["name"] == "windows")

        let notRunning = try await #require(throws: ProxmoxError.self) { try await api.guestInterfaces(vmid: 301) }
        #expect(notRunning.kind == .agentNotReady)

        let start = try #require(try await api.power(vmid: 301, .start))
        #expect(try await waiter.wait(start, timeout: .seconds(30), what: "start VM 301").succeeded)
        #expect(try await api.status(vmid: 301)?.isRunning == true)

        // The agent answers a little after the start; until then it is "not ready", not an error.
        var interfaces: [ProxmoxGuestInterface] = []
        for _ in 0..<50 where interfaces.isEmpty {
            do {
                interfaces = try await api.guestInterfaces(vmid: 301)
            } catch let error as ProxmoxError where error.kind == .agentNotReady {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        #expect(interfaces.contains { $0.name != "lo" && !$0.addresses.isEmpty })

        // A second start is refused by its task, the way Proxmox does it.
        let again = try #require(try await api.power(vmid: 301, .start))
        let error = try await #require(throws: ProxmoxError.self) { try await waiter.wait(again, timeout: .seconds(30), what: "start VM 301") }
        guard case .taskFailed(let exit) = error.kind else {
            Issue.record("\(error)")
            return
        }
        #expect(exit.contains("already running"))
        #expect(!error.logTail.isEmpty)
    }

    @Test func uploadAnISOThenLetTheNodeDownloadOne() async throws {
        let lab = try await ProxmoxClientLab.start()
        let (api, waiter) = try await session(lab)
        let path = lab.out.appendingPathComponent("talos test.iso").path
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let hasher = HTTPHashingSink()
        try bytes.withUnsafeBytes { try hasher.write($0) }
        try hasher.finish()
        let checksum = try #require(hasher.hexDigest)

        let upload = try #require(
            try await api.upload(
                storage: "local",
                ProxmoxUpload(
                    path: path, filename: "talos test.iso",
                    checksum: checksum, checksumAlgorithm: "sha256")))
        #expect(upload.type == "imgcopy")
        #expect(try await waiter.wait(upload, timeout: .seconds(30), what: "upload").succeeded)
        let isos = try await api.content(storage: "local", content: "iso", vmid: nil)
        #expect(isos.contains { $0.volid == "local:iso/talos_test.iso" && $0.size == bytes.count })

        let served = try #require(try lab.inventory()["talos"]?["iso"]?["filename"]?.text)
        let download = ProxmoxDownload(url: lab.control + "/files/" + served, filename: "talos-dl.iso")
        let fetch = try #require(try await api.downloadURL(storage: "local", download))
        #expect(try await waiter.wait(fetch, timeout: .seconds(30), what: "download").succeeded)
        #expect(try await api.content(storage: "local", content: "iso", vmid: nil).contains { $0.volid == "local:iso/talos-dl.iso" })

        // Without a checksum the node refuses to overwrite: the task fails with the reason in its log.
        let twice = try #require(try await api.downloadURL(storage: "local", download))
        let error = try await #require(throws: ProxmoxError.self) { try await waiter.wait(twice, timeout: .seconds(30), what: "download") }
        guard case .taskFailed(let exit) = error.kind else {
            Issue.record("\(error)")
            return
        }
        #expect(exit.contains("refusing to override"))
    }
}
