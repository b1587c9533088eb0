import Crypto

/// Verifies and decrypts an object as its bytes arrive, handing out only authenticated plain
/// chunks. The header is checked first (format, key id, the object's exact length against the
/// manifest's size), so a wrong key or a cut object is refused before any chunk; a chunk that
/// fails authentication is refused whole, so nothing of it is handed out.
struct BackupOpener {
    let object: String
    private let key: BackupKey
    private let objectID: [UInt8]
    private let plainSize: Int64
    private var buffer: [UInt8] = []
    private var start = 0
    private var header: BackupFormat.Header?
    private var headerBytes: [UInt8] = []
    private var chunkKey: SymmetricKey?
    private var index: UInt64 = 0
    /// The object's length as the server announced it, checked once the header is read.
    var contentLength: Int64?

    init(key: BackupKey, objectID: [UInt8], object: String, plainSize: Int64) {
        self.key = key
        self.objectID = objectID
        self.object = object
        self.plainSize = plainSize
    }

    /// Authenticated plain chunks completed by `bytes` (none of them the final chunk).
    mutating func append(_ bytes: [UInt8]) throws(BackupStoreError) -> [[UInt8]] {
        buffer += bytes
        if header == nil {
            guard buffer.count - start >= BackupFormat.headerSize else { return [] }
            try readHeader()
        }
        let size = header!.chunkSize + BackupFormat.tagSize
        var plain: [[UInt8]] = []
        // Strictly more than a chunk left: this one is not the last, so it must open as not final.
        while buffer.count - start > size {
            plain.append(try open(buffer[start..<start + size], final: false))
            start += size
        }
        if start > 1 << 20 {
            buffer.removeFirst(start)
            start = 0
        }
        return plain
    }

    /// The final chunk, authenticated as final, once the object has ended.
    mutating func finish() throws(BackupStoreError) -> [UInt8] {
        if header == nil {
            guard buffer.count - start >= BackupFormat.headerSize else {
                if buffer.count - start >= 4, Array(buffer[start..<start + 4]) != BackupFormat.magic {
                    throw BackupStoreError(.notABackup, object: object, "the object does not start with a homelab backup header")
                }
                throw BackupStoreError(.truncated, object: object, "the object ends after \(buffer.count) bytes, inside its header")
            }
            try readHeader()
        }
        let rest = buffer[start...]
        guard rest.count >= BackupFormat.tagSize else {
            throw BackupStoreError(.truncated, object: object, "the object ends inside chunk \(index)")
        }
        do {
            return try open(rest, final: true)
        } catch {
            // A chunk that opens as not final means the chunks after it are missing.
            if (try? open(rest, final: false)) != nil {
                throw BackupStoreError(.truncated, object: object, "the object ends after \(index) chunks, and the last of them is not marked as the end of the stream")
            }
            throw error
        }
    }

    private mutating func readHeader() throws(BackupStoreError) {
        let parsed = try BackupFormat.Header.parse(buffer[start..<start + BackupFormat.headerSize], object: object)
        guard parsed.keyID == key.keyID else {
            throw BackupStoreError(
                .wrongKey, object: object,
                "the object was encrypted with key \(BackupFormat.hex(parsed.keyID)), not with the configured key \(BackupFormat.hex(key.keyID))")
        }
        let expected = BackupFormat.objectLength(plainSize: plainSize, chunkSize: parsed.chunkSize)
        if let contentLength, contentLength != expected {
            throw BackupStoreError(
                contentLength < expected ? .truncated : .tampered, object: object,
                "the object is \(contentLength) bytes long; a \(plainSize)-byte stream, as its manifest says, makes \(expected)")
        }
        header = parsed
        headerBytes = parsed.bytes
        chunkKey = key.derive(salt: parsed.salt, info: BackupFormat.chunkKeyInfo)
        start += BackupFormat.headerSize
    }

    private mutating func open(_ sealed: ArraySlice<UInt8>, final: Bool) throws(BackupStoreError) -> [UInt8] {
        let aad = BackupFormat.additionalData(header: headerBytes, objectID: objectID, index: index, final: final)
        let split = sealed.endIndex - BackupFormat.tagSize
        do {
            let box = try AES.GCM.SealedBox(nonce: BackupFormat.nonce(index), ciphertext: sealed[sealed.startIndex..<split], tag: sealed[split...])
            let plain = try AES.GCM.open(box, using: chunkKey!, authenticating: aad)
            index += 1
            return Array(plain)
        } catch {
            throw BackupStoreError(
                .tampered, object: object,
                "chunk \(index) failed authentication: the object was changed, reordered or belongs to another snapshot")
        }
    }
}
