import Foundation
import HomelabCore
import LabSupport
import Testing

@testable import HomelabActions

/// The cloud column of `backup status` read from a real S3 server (moto, SigV4 checked) through
/// the live backup store: what was uploaded is shown with its guid; a wrong secret is unknown.
@Suite struct BackupStatusCloudTests {
    @Test func anUploadedSnapshotIsTheCloudTiersNewestAndAWrongSecretIsUnknown() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let prefix = MotoS3.prefix("status")
        let key = try BackupKey(hex: LiveBackupStoreS3Tests.keyHex)
        let store = LiveBackupStore(client: try await MotoS3.client(), prefix: prefix, key: key)
        for (name, age) in [("homelab-2026-12-01-0200", Int64(7200)), ("homelab-2026-12-01-0300", Int64(600))] {
            _ = try await store.upload(
                LiveBackupStoreTests.stream(MotoS3.bytes(4096), piece: 1000),
                of: BackupSnapshot(dataset: "tank/apps/immich", snapshot: name, guid: "9\(age)", created: now - age), progress: { _ in })
        }
        var storage = BackupStatusReaderTests.storage
        storage.policy.cloud?.prefix = prefix
        let status = await BackupStatusReader(shell: NoRemoteShell(), store: store, target: SSHTarget(address: "h")).status(storage, tiers: [.cloud], now: now)
        #expect(status.rows.count == 1, "only the critical dataset has a cloud tier")
        #expect(status.rows[0].state == .fresh, "\(status.rows[0].problem ?? "")")
        #expect(status.rows[0].newest == SnapshotRecord(name: "homelab-2026-12-01-0300", guid: "9600", created: now - 600))
        #expect(status.rows[0].count == 2)

        let refused = LiveBackupStore(client: try await MotoS3.client(secretKey: "not-the-secret-key"), prefix: prefix, key: key)
        let unknown = await BackupStatusReader(shell: NoRemoteShell(), store: refused, target: SSHTarget(address: "h")).status(
            storage, tiers: [.cloud], now: now)
        #expect(unknown.rows[0].state == .unknown)
        #expect(unknown.rows[0].problem?.contains("SignatureDoesNotMatch") == true, "\(unknown.rows[0].problem ?? "")")
        #expect(unknown.rows[0].problem?.contains("not-the-secret-key") == false)
    }
}
