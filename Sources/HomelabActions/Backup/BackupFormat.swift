import Crypto

/// The encrypted object format (docs/backup-format.md, which a recovery without homelab
/// follows; change both together). An object is a header, then the plain `zfs send` stream in
/// chunks of `chunkSize` bytes, each sealed with AES-256-GCM:
///
///     header  "HLBK" | version u16 | chunkSize u32 | keyID 8 | salt 32        (50 bytes)
///     chunk i ciphertext (chunkSize bytes; the last one 0...chunkSize) | tag 16
///
/// Integers are big-endian. The chunk key is HKDF-SHA256(key, salt, "homelab-backup v1 chunk
/// key"); the nonce is 4 zero bytes and i as u64. The additional data binds each chunk to its
/// object, its place and whether it ends the stream, so reordering, splicing and truncation
/// all fail authentication: header | u32 length of objectID | objectID | i as u64 | final u8.
enum BackupFormat {
    static let magic: [UInt8] = Array("HLBK".utf8)
    static let version: UInt16 = 1
    static let headerSize = 50
    static let tagSize = 16
    static let defaultChunkSize = 1 << 20
    static let maxChunkSize = 16 << 20
    static let keyIDInfo = "homelab-backup v1 key id"
    static let chunkKeyInfo = "homelab-backup v1 chunk key"
    static let manifestKeyInfo = "homelab-backup v1 manifest key"

    struct Header: Equatable {
        var chunkSize: Int
        var keyID: [UInt8]
        var salt: [UInt8]

        var bytes: [UInt8] {
            magic + be(UInt64(version), 2) + be(UInt64(chunkSize), 4) + keyID + salt
        }

        /// Reads the first `headerSize` bytes; the key id is checked by the caller.
        static func parse(_ bytes: ArraySlice<UInt8>, object: String) throws(BackupStoreError) -> Header {
            let bytes = Array(bytes)
            guard bytes.count >= headerSize, Array(bytes[0..<4]) == magic else {
                throw BackupStoreError(.notABackup, object: object, "the object does not start with a homelab backup header")
            }
            let version = readBE(bytes[4..<6])
            guard version == BackupFormat.version else {
                throw BackupStoreError(.notABackup, object: object, "format version \(version) is not one this homelab reads (\(BackupFormat.version))")
            }
            let chunkSize = Int(readBE(bytes[6..<10]))
            guard chunkSize > 0, chunkSize <= maxChunkSize else {
                throw BackupStoreError(.tampered, object: object, "the header names a chunk size of \(chunkSize) bytes, which homelab never writes")
            }
            return Header(chunkSize: chunkSize, keyID: Array(bytes[10..<18]), salt: Array(bytes[18..<50]))
        }
    }

    /// What ties chunks to their snapshot: a stream of another snapshot put in this one's place
    /// fails at its first chunk. Names cannot hold a newline, so the joining is unambiguous.
    static func objectID(dataset: String, snapshot: String, guid: String) -> [UInt8] {
        Array("\(dataset)\n\(snapshot)\n\(guid)".utf8)
    }

    static func nonce(_ index: UInt64) -> AES.GCM.Nonce {
        try! AES.GCM.Nonce(data: [0, 0, 0, 0] + be(index, 8))
    }

    static func additionalData(header: [UInt8], objectID: [UInt8], index: UInt64, final: Bool) -> [UInt8] {
        header + be(UInt64(objectID.count), 4) + objectID + be(index, 8) + [final ? 1 : 0]
    }

    /// The object's exact length for a plain stream of `size` bytes: a truncated or padded object
    /// is refused from its length before any chunk is opened.
    static func objectLength(plainSize size: Int64, chunkSize: Int) -> Int64 {
        let chunks = max(1, (size + Int64(chunkSize) - 1) / Int64(chunkSize))
        return Int64(headerSize) + size + chunks * Int64(tagSize)
    }

    static func be(_ value: UInt64, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64(count - 1 - $0))) }
    }

    static func readBE(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
