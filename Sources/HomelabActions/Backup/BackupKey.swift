import Crypto

/// The 32-byte backup encryption key (a secret, given as 64 hex digits). Every object gets its
/// own keys, derived from this one and the object's random salt with HKDF-SHA256
/// (docs/backup-format.md); the key itself never encrypts anything.
public struct BackupKey: Sendable, CustomStringConvertible {
    let material: SymmetricKey
    /// Names the key without revealing it (HKDF output, 8 bytes): stored in every object and
    /// manifest so a wrong key is told apart from tampering.
    public let keyID: [UInt8]

    public init(bytes: [UInt8]) throws(BackupStoreError) {
        guard bytes.count == 32 else {
            throw BackupStoreError(.invalidKey, object: nil, "the backup encryption key must be 32 bytes, not \(bytes.count)")
        }
        material = SymmetricKey(data: bytes)
        keyID = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: material, salt: [UInt8](), info: Array(BackupFormat.keyIDInfo.utf8), outputByteCount: 8
        ).withUnsafeBytes { Array($0) }
    }

    /// 64 hex digits (`openssl rand -hex 32`); surrounding whitespace is ignored.
    public init(hex: String) throws(BackupStoreError) {
        let digits = Array(hex.utf8.filter { $0 != 32 && $0 != 10 && $0 != 13 && $0 != 9 })
        var bytes: [UInt8] = []
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        guard digits.count == 64 else {
            throw BackupStoreError(.invalidKey, object: nil, "the backup encryption key must be 64 hex digits (32 bytes), not \(digits.count) characters")
        }
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else {
                throw BackupStoreError(.invalidKey, object: nil, "the backup encryption key must be hex digits only")
            }
            bytes.append(high << 4 | low)
        }
        try self.init(bytes: bytes)
    }

    public var description: String { "backup key \(BackupFormat.hex(keyID))" }

    func derive(salt: [UInt8], info: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: material, salt: salt, info: Array(info.utf8), outputByteCount: 32)
    }
}
