import Crypto

/// Encrypts a stream as it arrives: bytes in, sealed chunks out, never more than a chunk and a
/// piece held. A full chunk is sealed only once a byte after it has arrived, so the last chunk,
/// sealed by `finish`, is the one marked final (an exact multiple of the chunk size ends with a
/// full final chunk; an empty stream with an empty one).
struct BackupSealer {
    let header: [UInt8]
    private let key: SymmetricKey
    private let objectID: [UInt8]
    private let chunkSize: Int
    private var pending: [UInt8] = []
    private var index: UInt64 = 0

    init(key: BackupKey, objectID: [UInt8], chunkSize: Int = BackupFormat.defaultChunkSize, salt: [UInt8]? = nil) {
        var salt = salt ?? []
        if salt.isEmpty {
            var generator = SystemRandomNumberGenerator()
            salt = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        header = BackupFormat.Header(chunkSize: chunkSize, keyID: key.keyID, salt: salt).bytes
        self.key = key.derive(salt: salt, info: BackupFormat.chunkKeyInfo)
        self.objectID = objectID
        self.chunkSize = chunkSize
        pending.reserveCapacity(chunkSize * 2)
    }

    /// Sealed bytes ready to store (possibly none yet).
    mutating func append(_ bytes: [UInt8]) -> [UInt8] {
        pending += bytes
        var out: [UInt8] = []
        var start = 0
        while pending.count - start > chunkSize {
            out += seal(pending[start..<start + chunkSize], final: false)
            start += chunkSize
        }
        if start > 0 { pending.removeFirst(start) }
        return out
    }

    /// The final chunk.
    mutating func finish() -> [UInt8] {
        defer { pending = [] }
        return seal(pending[...], final: true)
    }

    private mutating func seal(_ plain: ArraySlice<UInt8>, final: Bool) -> [UInt8] {
        let aad = BackupFormat.additionalData(header: header, objectID: objectID, index: index, final: final)
        // Sealing with a valid key and a 12-byte nonce cannot fail.
        let box = try! AES.GCM.seal(plain, using: key, nonce: BackupFormat.nonce(index), authenticating: aad)
        index += 1
        return Array(box.ciphertext) + Array(box.tag)
    }
}
