import Foundation
import Testing

@testable import HomelabActions

struct BackupManifestCodecTests {
    let key = try! BackupKey(hex: String(repeating: "0f", count: 32))
    let manifest = BackupManifest(
        dataset: "tank/apps/immich", snapshot: "homelab-2026-12-02-0300", guid: "9876543210", baseSnapshot: "homelab-2026-12-01-0300",
        baseGuid: "1234567890", created: 1_796_180_400, size: 42, sha256: String(repeating: "ab", count: 32),
        object: "backups/tank/apps/immich/homelab-2026-12-02-0300.zstream")

    @Test func aManifestComesBackAsWritten() throws {
        let bytes = BackupManifestCodec.encode(manifest, key: key)
        #expect(try BackupManifestCodec.decode(bytes, key: key, object: "m") == manifest)
        var full = manifest
        full.baseSnapshot = nil
        full.baseGuid = nil
        #expect(try BackupManifestCodec.decode(BackupManifestCodec.encode(full, key: key), key: key, object: "m") == full)
    }

    @Test func itIsOneLineOfJSONAndOneLineOfMAC() throws {
        let text = String(decoding: BackupManifestCodec.encode(manifest, key: key), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix(#"{"format":"homelab-backup-manifest","version":1,"keyId":""#))
        #expect(lines[1].count == 64)
    }

    @Test func aChangedManifestIsRefused() throws {
        var text = String(decoding: BackupManifestCodec.encode(manifest, key: key), as: UTF8.self)
        text = text.replacingOccurrences(of: #""size":42"#, with: #""size":43"#)
        let error = #expect(throws: BackupStoreError.self) { try BackupManifestCodec.decode(Array(text.utf8), key: key, object: "m") }
        #expect(error?.kind == .tampered)
    }

    @Test func anotherKeysManifestIsAWrongKey() throws {
        let other = try BackupKey(hex: String(repeating: "a5", count: 32))
        let error = #expect(throws: BackupStoreError.self) {
            try BackupManifestCodec.decode(BackupManifestCodec.encode(manifest, key: other), key: key, object: "m")
        }
        #expect(error?.kind == .wrongKey)
    }
}
