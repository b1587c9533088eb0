import Foundation
import HomelabActions
import HomelabCore
import Testing

@Suite("Proxmox proxmox.iso")
struct ProxmoxISOTests {
    let connector = FakeConnector()
    var fake: FakeProxmox { connector.fake }
    var action: ProxmoxISO { ProxmoxISO(proxmox: connector) }
    let url = "https://factory.talos.dev/image/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba/v1.11.5/metal-amd64.iso"
    let checksum = String(repeating: "ab", count: 32)

    @Test func aPresentISOIsLeftAlone() async throws {
        await fake.addVolume("local", ProxmoxVolume(volid: "local:iso/talos-v1.11.5.iso", format: "iso", content: "iso", size: 1 << 20, ctime: 1, vmid: nil))
        let call = ProxmoxLab.call(["filename": .string("talos-v1.11.5.iso"), "url": .string(url)])
        #expect(try await action.probe(call, context: RecordingContext()) == .satisfied("local:iso/talos-v1.11.5.iso is on the storage"))
        #expect(try await action.run(call, context: RecordingContext()) == ["volid": .string("local:iso/talos-v1.11.5.iso")])
        #expect(await fake.mutatingCalls.isEmpty)
    }

    @Test func theNodeDownloadsItWithTheChecksum() async throws {
        await fake.setPolls("download", 3)
        let call = ProxmoxLab.call(["filename": .string("talos-v1.11.5.iso"), "url": .string(url), "checksum": .string(checksum)])
        #expect(try await action.probe(call, context: RecordingContext()) == .wouldChange("download local:iso/talos-v1.11.5.iso"))
        let outputs = try await action.run(call, context: RecordingContext())
        #expect(outputs == ["volid": .string("local:iso/talos-v1.11.5.iso")])
        #expect(
            await fake.downloads == [ProxmoxDownload(url: url, filename: "talos-v1.11.5.iso", content: "iso", checksum: checksum, checksumAlgorithm: "sha256")])
        #expect(try await action.probe(call, context: RecordingContext()) == .satisfied("local:iso/talos-v1.11.5.iso is on the storage"))
    }

    @Test func aLocalFileIsUploaded() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("homelab-iso-\(UUID().uuidString).iso").path
        try Data("CD001".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let outputs = try await action.run(ProxmoxLab.call(["filename": .string("talos.iso"), "file": .string(file)]), context: RecordingContext())
        #expect(outputs["volid"] == .string("local:iso/talos.iso"))
        #expect(await fake.uploads.map(\.path) == [file])
        #expect(await fake.downloads.isEmpty)
    }

    @Test func aZFSPoolStorageIsRefusedWithTheReason() async throws {
        let failure = try #require(
            await ProxmoxLab.failure {
                _ = try await action.run(
                    ProxmoxLab.call(["storage": .string("local-zfs"), "filename": .string("talos.iso"), "url": .string(url)]), context: RecordingContext())
            })
        #expect(failure.message == "storage 'local-zfs' (zfspool) cannot hold iso files: zfspool storages hold only disks; use a dir storage such as local")
        #expect(await fake.mutatingCalls.isEmpty)
    }

    @Test func anUnknownStorageListsTheOnesThatFit() async throws {
        let failure = try #require(
            await ProxmoxLab.failure {
                _ = try await action.run(
                    ProxmoxLab.call(["storage": .string("nas"), "filename": .string("talos.iso"), "url": .string(url)]), context: RecordingContext())
            })
        #expect(failure.message == "storage 'nas' is not on node pve; storages that hold iso: local")
    }

    @Test(arguments: [
        (["filename": Value.string("talos.iso")], "give exactly one of 'url'"),
        (["filename": .string("talos.iso"), "url": .string("https://x/t.iso"), "file": .string("/tmp/t.iso")], "give exactly one of 'url'"),
        (["filename": .string("talos.raw.xz"), "url": .string("https://x/t.iso")], "must end in .iso or .img"),
        (["filename": .string("../etc/passwd.iso"), "url": .string("https://x/t.iso")], "must be a plain file name"),
        (["filename": .string("talos.iso"), "url": .string("ftp://x/t.iso")], "must start with http:// or https://"),
        (["filename": .string("talos.iso"), "file": .string("/nonexistent/talos.iso")], "does not exist"),
    ])
    func badInputsAreRefusedBeforeConnecting(inputs: [String: Value], expected: String) async throws {
        let failure = try #require(await ProxmoxLab.failure { _ = try await action.run(ProxmoxLab.call(inputs), context: RecordingContext()) })
        #expect(failure.message.contains(expected))
        #expect(connector.endpoints.isEmpty)
    }
}
