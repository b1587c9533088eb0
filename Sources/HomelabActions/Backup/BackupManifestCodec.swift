import Foundation
import Crypto
import HomelabCore

/// A manifest object: one line of compact JSON (the manifest's fields, the key id and a random
/// salt), then one line with the hex HMAC-SHA256 of the first line's bytes under
/// HKDF-SHA256(key, salt, "homelab-backup v1 manifest key") (docs/backup-format.md). The MAC is
/// over the bytes as stored, so no JSON canonical form is needed to verify it.
enum BackupManifestCodec {
    static let format = "homelab-backup-manifest"

    static func encode(_ manifest: BackupManifest, key: BackupKey, salt: [UInt8]? = nil) -> [UInt8] {
        let salt = salt ?? (0..<32).map { _ in UInt8.random(in: .min ... .max) }
        let optional = { (text: String?) in text.map { Value.string($0) } ?? .null }
        let body = JSONWriter.compactBytes(
            .map([
                ("format", .string(format)), ("version", .int(1)),
                ("keyId", .string(BackupFormat.hex(key.keyID))), ("salt", .string(BackupFormat.hex(salt))),
                ("dataset", .string(manifest.dataset)), ("snapshot", .string(manifest.snapshot)), ("guid", .string(manifest.guid)),
                ("baseSnapshot", optional(manifest.baseSnapshot)), ("baseGuid", optional(manifest.baseGuid)),
                ("created", .int(Int(manifest.created))), ("size", .int(Int(manifest.size))),
                ("sha256", .string(manifest.sha256)), ("object", .string(manifest.object)),
            ]))
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: key.derive(salt: salt, info: BackupFormat.manifestKeyInfo))
        return body + [10] + Array(BackupFormat.hex(mac).utf8) + [10]
    }

    /// Verifies and reads a manifest object. `object` names it in errors.
    static func decode(_ bytes: [UInt8], key: BackupKey, object: String) throws(BackupStoreError) -> BackupManifest {
        let invalid = { (why: String) in BackupStoreError(.notABackup, object: object, why) }
        let tampered = { (why: String) in BackupStoreError(.tampered, object: object, why) }
        guard let newline = bytes.firstIndex(of: 10) else { throw invalid("not a homelab manifest (no MAC line)") }
        let body = Array(bytes[..<newline])
        let macText = String(decoding: bytes[(newline + 1)...], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let mac = unhex(macText), mac.count == 32 else { throw invalid("not a homelab manifest (its MAC line is not 64 hex digits)") }
        guard case .map(let pairs)? = try? JSONParser.parse(bytes: body) else { throw tampered("the manifest is not JSON") }
        let fields = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        guard case .string(format)? = fields["format"] else { throw invalid("not a homelab manifest (format field)") }
        guard case .int(1)? = fields["version"] else { throw invalid("manifest version \(fields["version"].map { "\($0.text)" } ?? "?") is not one this homelab reads (1)") }
        guard case .string(let keyID)? = fields["keyId"], case .string(let saltText)? = fields["salt"], let salt = unhex(saltText) else {
            throw tampered("the manifest lacks its key id or salt")
        }
        guard keyID == BackupFormat.hex(key.keyID) else {
            throw BackupStoreError(.wrongKey, object: object, "the manifest was written with key \(keyID), not with the configured key \(BackupFormat.hex(key.keyID))")
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: key.derive(salt: salt, info: BackupFormat.manifestKeyInfo)) else {
            throw tampered("the manifest's MAC does not match its content: it was changed")
        }
        func string(_ name: String) throws(BackupStoreError) -> String {
            guard case .string(let text)? = fields[name] else { throw tampered("the manifest lacks \(name)") }
            return text
        }
        func optional(_ name: String) -> String? {
            if case .string(let text)? = fields[name] { return text }
            return nil
        }
        func integer(_ name: String) throws(BackupStoreError) -> Int64 {
            guard case .int(let value)? = fields[name] else { throw tampered("the manifest lacks \(name)") }
            return Int64(value)
        }
        return BackupManifest(
            dataset: try string("dataset"), snapshot: try string("snapshot"), guid: try string("guid"),
            baseSnapshot: optional("baseSnapshot"), baseGuid: optional("baseGuid"), created: try integer("created"),
            size: try integer("size"), sha256: try string("sha256"), object: try string("object"))
    }

    static func unhex(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = UInt8(String(UnicodeScalar(digits[index])), radix: 16),
                let low = UInt8(String(UnicodeScalar(digits[index + 1])), radix: 16)
            else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }
}
