import Testing

@testable import HomelabActions

struct BackupFormatTests {
    let key = try! BackupKey(hex: String(repeating: "0f", count: 32))
    let objectID = BackupFormat.objectID(dataset: "tank/apps/immich", snapshot: "homelab-2026-12-01-0300", guid: "123")

    func seal(_ plain: [UInt8], chunkSize: Int, pieces: Int = 7) -> [UInt8] {
        var sealer = BackupSealer(key: key, objectID: objectID, chunkSize: chunkSize)
        var out = sealer.header
        var offset = 0
        while offset < plain.count {
            let end = min(offset + pieces, plain.count)
            out += sealer.append(Array(plain[offset..<end]))
            offset = end
        }
        return out + sealer.finish()
    }

    func open(_ sealed: [UInt8], plainSize: Int64, key: BackupKey? = nil, objectID: [UInt8]? = nil) throws -> [UInt8] {
        var opener = BackupOpener(key: key ?? self.key, objectID: objectID ?? self.objectID, object: "o", plainSize: plainSize)
        var plain: [UInt8] = []
        for piece in stride(from: 0, to: sealed.count, by: 13) {
            for chunk in try opener.append(Array(sealed[piece..<min(piece + 13, sealed.count)])) { plain += chunk }
        }
        return plain + (try opener.finish())
    }

    @Test(arguments: [0, 1, 99, 100, 101, 1000, 1234])
    func streamsOfAnySizeComeBackWhole(size: Int) throws {
        let plain = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let sealed = seal(plain, chunkSize: 100)
        #expect(Int64(sealed.count) == BackupFormat.objectLength(plainSize: Int64(size), chunkSize: 100))
        #expect(try open(sealed, plainSize: Int64(size)) == plain)
    }

    @Test func theHeaderIsLaidOutAsDocumented() {
        let salt = (0..<32).map { UInt8($0) }
        let sealer = BackupSealer(key: key, objectID: objectID, chunkSize: 1 << 20, salt: salt)
        #expect(sealer.header.count == BackupFormat.headerSize)
        #expect(Array(sealer.header[0..<4]) == Array("HLBK".utf8))
        #expect(Array(sealer.header[4..<10]) == [0, 1, 0, 0x10, 0, 0])
        #expect(Array(sealer.header[10..<18]) == key.keyID)
        #expect(Array(sealer.header[18...]) == salt)
        #expect(BackupFormat.nonce(5).withUnsafeBytes { Array($0) } == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5])
    }

    @Test func aFlippedByteFailsItsChunkAndNothingOfItIsHandedOut() throws {
        let plain = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
        var sealed = seal(plain, chunkSize: 100)
        sealed[BackupFormat.headerSize + 116 * 4 + 50] ^= 0x01  // inside chunk 4
        var opener = BackupOpener(key: key, objectID: objectID, object: "o", plainSize: 1000)
        var handed: [UInt8] = []
        let error = #expect(throws: BackupStoreError.self) {
            for piece in stride(from: 0, to: sealed.count, by: 64) {
                for chunk in try opener.append(Array(sealed[piece..<min(piece + 64, sealed.count)])) { handed += chunk }
            }
        }
        #expect(error?.kind == .tampered)
        #expect(error?.message.contains("chunk 4") == true)
        #expect(handed == Array(plain[0..<400]))
    }

    @Test func swappedChunksFailAuthentication() throws {
        let plain = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
        let sealed = seal(plain, chunkSize: 100)
        let h = BackupFormat.headerSize
        let swapped = Array(sealed[0..<h]) + Array(sealed[h + 116..<h + 232]) + Array(sealed[h..<h + 116]) + Array(sealed[(h + 232)...])
        #expect { try open(swapped, plainSize: 300) } throws: { ($0 as? BackupStoreError)?.kind == .tampered }
    }

    @Test func aStreamCutAtAChunkBoundaryIsTruncated() throws {
        let plain = (0..<300).map { UInt8(truncatingIfNeeded: $0) }
        let sealed = seal(plain, chunkSize: 100)
        let cut = Array(sealed[0..<(BackupFormat.headerSize + 2 * 116)])
        #expect { try open(cut, plainSize: 300) } throws: { ($0 as? BackupStoreError)?.kind == .truncated }
        let inside = Array(sealed[0..<(BackupFormat.headerSize + 2 * 116 + 10)])
        #expect { try open(inside, plainSize: 300) } throws: { ($0 as? BackupStoreError)?.kind == .truncated }
        #expect { try open(Array(sealed[0..<20]), plainSize: 300) } throws: { ($0 as? BackupStoreError)?.kind == .truncated }
    }

    @Test func aWrongKeyIsNamedAsSuch() throws {
        let sealed = seal(Array(repeating: 1, count: 250), chunkSize: 100)
        let other = try BackupKey(hex: String(repeating: "a5", count: 32))
        #expect { try open(sealed, plainSize: 250, key: other) } throws: { ($0 as? BackupStoreError)?.kind == .wrongKey }
    }

    @Test func anotherSnapshotsStreamDoesNotPass() throws {
        let sealed = seal(Array(repeating: 1, count: 250), chunkSize: 100)
        let elsewhere = BackupFormat.objectID(dataset: "tank/apps/immich", snapshot: "homelab-2026-12-02-0300", guid: "456")
        #expect { try open(sealed, plainSize: 250, objectID: elsewhere) } throws: { ($0 as? BackupStoreError)?.kind == .tampered }
    }

    @Test func aLengthThatDiffersFromTheManifestIsRefusedBeforeAnyChunk() throws {
        let sealed = seal(Array(repeating: 1, count: 250), chunkSize: 100)
        var opener = BackupOpener(key: key, objectID: objectID, object: "o", plainSize: 250)
        opener.contentLength = Int64(sealed.count - 116)
        #expect { _ = try opener.append(sealed) } throws: { ($0 as? BackupStoreError)?.kind == .truncated }
        var longer = BackupOpener(key: key, objectID: objectID, object: "o", plainSize: 250)
        longer.contentLength = Int64(sealed.count + 1)
        #expect { _ = try longer.append(sealed) } throws: { ($0 as? BackupStoreError)?.kind == .tampered }
    }

    @Test func somethingElseIsNotABackup() {
        #expect { try open(Array("PK\u{3}\u{4} this is a zip file and not a backup at all, no.............".utf8), plainSize: 0) } throws: {
            ($0 as? BackupStoreError)?.kind == .notABackup
        }
    }

    @Test func keysMustBe64HexDigits() throws {
        #expect(throws: BackupStoreError.self) { try BackupKey(hex: "abcd") }
        #expect(throws: BackupStoreError.self) { try BackupKey(hex: String(repeating: "zz", count: 32)) }
        let key = try BackupKey(hex: String(repeating: "0F", count: 32) + "\n")
        #expect(key.keyID == self.key.keyID)
        #expect(!"\(key)".contains("0f0f"))
    }
}
