import Foundation
import HomelabCore
import HomelabTransport
import LabSupport
import Testing

@testable import HomelabActions

/// Retention of the cloud tier for real: uploads from the zfs-fuse host through the live store
/// into the S3 server, re-based on a new full stream after `full-every` incrementals, pruned to
/// the policy (the bucket's own listing checked), then the dataset destroyed and its newest
/// snapshot restored from what is left, file for file.
@Suite(.timeLimit(.minutes(10)))
struct ZFSCloudRetentionS3LabTests {
    @Test func reBasedUploadsArePrunedChainByChainAndTheNewestStillRestores() async throws {
        async let zfsLab = ZFSHostLab.start(seed: true)
        async let s3Lab = S3Lab.start()
        let (lab, s3) = try await (zfsLab, s3Lab)
        defer {
            lab.fixture.stopInBackground()
            s3.fixture.stopInBackground()
        }
        let zfs = ZFSIntegration.live(LiveSettings())
        let context = RecordingContext()
        let dataset = "tank/apps/immich"
        let prefix = "retention/"
        func inputs(_ extra: [String: Value] = [:]) -> [String: Value] {
            [
                "datasets": .list([.string(dataset)]),
                "cloud": .map([
                    ("endpoint", .string(s3.endpoint)), ("region", .string(s3.region)), ("bucket", .string(s3.bucket)), ("prefix", .string(prefix)),
                ]),
                "access-key": .string(s3.accessKey), "secret-key": .string(s3.secretKey),
                "encryption-key": .string(String(repeating: "0123456789abcdef", count: 4)),
            ].merging(extra) { $1 }
        }
        func upload() async throws -> (snapshot: String, mode: String) {
            let outputs = try await ZFSUpload(zfs).run(lab.call(inputs(["full-every": .int(1)])), context: context)
            guard case .list(let items)? = outputs["uploaded"], case .map(let item)? = items.first else { throw ActionError("no upload: \(outputs)") }
            return (item.first { $0.0 == "snapshot" }?.1.text ?? "", item.first { $0.0 == "mode" }?.1.text ?? "")
        }

        // The seeded newest snapshot (full), then three more, one file each: with full-every 1 the
        // chains are [A B] [C D].
        var uploads = [try await upload()]
        for index in 1...3 {
            try await lab.shell("head -c \(index * 70_000) /dev/urandom > \(lab.mountRoot)/\(dataset)/retention-\(index).bin")
            _ = try await ZFSSnapshot(zfs).run(lab.call(inputs(["name": .string("homelab-2026-12-03-000\(index)")])), context: context)
            uploads.append(try await upload())
        }
        #expect(uploads.map(\.mode) == ["full", "incremental", "full", "incremental"])

        let s3Client = LiveS3Client(
            http: try HTTPClient(configuration: LiveS3Client.httpConfiguration()),
            endpoint: S3Endpoint(
                url: s3.endpoint, region: s3.region, bucket: s3.bucket, credentials: S3Credentials(accessKey: s3.accessKey, secretKey: s3.secretKey)))
        func keys() async throws -> [String] { try await s3Client.listAllObjects(prefix: prefix).map(\.key).sorted() }
        #expect(try await keys().count == 8)

        // Planned first: nothing deleted by the probe.
        let cloudPrune = inputs(["tier": .string("cloud"), "keep": .int(2)])
        let probe = try await ZFSPrune(zfs).probe(lab.call(cloudPrune), context: context)
        guard case .wouldChange(let plan) = probe else { throw ActionError("the probe said \(probe)") }
        #expect(plan.hasPrefix("delete from the cloud \(dataset)@\(uploads[1].snapshot), \(dataset)@\(uploads[0].snapshot) (2 stream(s), "))
        #expect(try await keys().count == 8)

        // keep 2: C and D (a whole chain); A and B go, B first.
        let pruned = try await ZFSPrune(zfs).run(lab.call(cloudPrune), context: context)
        #expect(pruned["destroyed"] == .list([uploads[1], uploads[0]].map { .string("\(dataset)@\($0.snapshot)") }))
        #expect(pruned["count"] == .int(2))
        guard case .int(let freed)? = pruned["bytes"] else { throw ActionError("no bytes: \(pruned)") }
        #expect(freed > 70_000)
        let kept = uploads.suffix(2).flatMap { ["\(prefix)\(dataset)/\($0.snapshot).manifest", "\(prefix)\(dataset)/\($0.snapshot).zstream"] }
        #expect(try await keys() == kept.sorted())

        // A stream with no manifest (an upload killed before its manifest): listed as a stray with
        // the server's LastModified, and ignored by the restore below.
        let store = try LiveBackupStore.live(
            endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, prefix: prefix, accessKey: s3.accessKey, secretKey: s3.secretKey,
            encryptionKeyHex: String(repeating: "0123456789abcdef", count: 4))
        #expect(try await store.strays(dataset: dataset).isEmpty)
        try await s3Client.putObject("\(prefix)\(dataset)/homelab-stray.zstream", bytes: [1, 2, 3])
        let strays = try await store.strays(dataset: dataset)
        #expect(strays.map(\.snapshot) == ["homelab-stray"])
        #expect(strays.first?.modified != nil)

        let before = try await lab.checksums("\(lab.mountRoot)/\(dataset)")
        try await ZFSActionsLabTests.destroy(lab, dataset)
        let restored = try await ZFSRestore(zfs).run(lab.call(inputs()), context: context)
        #expect(restored["snapshot"] == .string(uploads[3].snapshot))
        guard case .list(let items)? = restored["restored"], case .map(let item)? = items.first else { throw ActionError("no restore: \(restored)") }
        #expect(item.first { $0.0 == "source" }?.1 == .string("cloud"))
        #expect(try await lab.checksums("\(lab.mountRoot)/\(dataset)") == before)
    }
}
