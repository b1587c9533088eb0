import Foundation
import HomelabActions
import HomelabCore
import LabSupport
import Testing

/// The cloud tier for real: zfs.upload and zfs.restore through the live store (encrypted chunks,
/// SigV4, multipart) against the S3 server on loopback, with the zfs-fuse host's files compared
/// bit for bit after the dataset was destroyed, and a wrong encryption key refused.
@Suite(.timeLimit(.minutes(10)))
struct ZFSCloudS3LabTests {
    @Test func uploadDestroyAndRestoreThroughS3() async throws {
        async let zfsLab = ZFSHostLab.start(seed: true)
        async let s3Lab = S3Lab.start()
        let (lab, s3) = try await (zfsLab, s3Lab)
        defer {
            lab.fixture.stopInBackground()
            s3.fixture.stopInBackground()
        }
        let zfs = ZFSIntegration.live(LiveSettings())
        let context = RecordingContext()
        let key = String(repeating: "0123456789abcdef", count: 4)
        func inputs(_ encryptionKey: String = key) -> [String: Value] {
            [
                "datasets": .list([.string("tank/apps/immich")]),
                "cloud": .map([
                    ("endpoint", .string(s3.endpoint)), ("region", .string(s3.region)), ("bucket", .string(s3.bucket)), ("prefix", .string("homelab/")),
                ]),
                "access-key": .string(s3.accessKey), "secret-key": .string(s3.secretKey), "encryption-key": .string(encryptionKey),
            ]
        }
        _ = try await ZFSUpload(zfs).run(lab.call(inputs()), context: context)
        try await lab.shell("head -c 300000 /dev/urandom > \(lab.mountRoot)/tank/apps/immich/after.bin")
        _ = try await ZFSSnapshot(zfs).run(lab.call(inputs().merging(["name": .string("homelab-2026-12-02-0000")]) { $1 }), context: context)
        let second = try await ZFSUpload(zfs).run(lab.call(inputs()), context: context)
        guard case .list(let items)? = second["uploaded"], case .map(let item)? = items.first else { throw ActionError("no upload: \(second)") }
        #expect(item.first { $0.0 == "mode" }?.1 == .string("incremental"))

        let before = try await lab.checksums("\(lab.mountRoot)/tank/apps/immich")
        try await ZFSActionsLabTests.destroy(lab, "tank/apps/immich")
        let wrongKey = await ActionFailure.of { _ = try await ZFSRestore(zfs).run(lab.call(inputs(String(repeating: "f", count: 64))), context: context) }
        #expect(wrongKey != nil)
        #expect(wrongKey?.message.contains(key) == false)
        #expect(try await lab.list("tank").filter { $0.hasPrefix("tank/apps/immich") }.isEmpty)

        let restored = try await ZFSRestore(zfs).run(lab.call(inputs()), context: context)
        #expect(restored["snapshot"] == .string("homelab-2026-12-02-0000"))
        #expect(try await lab.checksums("\(lab.mountRoot)/tank/apps/immich") == before)
        #expect(try await lab.list("tank").filter { $0.contains("homelab-partial") }.isEmpty)
    }
}
