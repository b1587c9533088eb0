import Crypto

/// The cloud tier on S3: each send stream encrypted client-side in chunks as it arrives and
/// uploaded in parts (memory stays at two parts and a chunk, whatever the stream's size), then
/// its manifest; downloads verified chunk by chunk before any byte is passed on
/// (docs/backup-format.md). Object layout: `<prefix><dataset>/<snapshot>.zstream` and
/// `<prefix><dataset>/<snapshot>.manifest`.
public struct LiveBackupStore: BackupStore {
    let client: any S3Client
    let prefix: String
    let key: BackupKey
    let chunkSize: Int
    let partSize: Int

    public init(
        client: any S3Client, prefix: String, key: BackupKey, chunkSize: Int = 1 << 20, partSize: Int = S3ObjectWriter.defaultPartSize
    ) {
        self.client = client
        self.prefix = prefix
        self.key = key
        self.chunkSize = min(max(chunkSize, 1), BackupFormat.maxChunkSize)
        self.partSize = partSize
    }

    public func streamKey(dataset: String, snapshot: String) -> String { "\(prefix)\(dataset)/\(snapshot).zstream" }
    public func manifestKey(dataset: String, snapshot: String) -> String { "\(prefix)\(dataset)/\(snapshot).manifest" }

    public func upload(
        _ stream: AsyncThrowingStream<[UInt8], any Error>, of snapshot: BackupSnapshot,
        progress: @escaping @Sendable (Int64) -> Void
    ) async throws -> BackupManifest {
        let object = streamKey(dataset: snapshot.dataset, snapshot: snapshot.snapshot)
        var sealer = BackupSealer(
            key: key, objectID: BackupFormat.objectID(dataset: snapshot.dataset, snapshot: snapshot.snapshot, guid: snapshot.guid),
            chunkSize: chunkSize)
        let writer = S3ObjectWriter(client: client, key: object, partSize: partSize)
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            try await writer.write(sealer.header)
            for try await piece in stream {
                hasher.update(data: piece)
                size += Int64(piece.count)
                let sealed = sealer.append(piece)
                if !sealed.isEmpty { try await writer.write(sealed) }
                progress(size)
            }
            try await writer.write(sealer.finish())
            try await writer.finish()
        } catch {
            await writer.abort()
            throw error
        }
        // The manifest goes last: one that exists always names a complete object.
        let manifest = BackupManifest(
            dataset: snapshot.dataset, snapshot: snapshot.snapshot, guid: snapshot.guid, baseSnapshot: snapshot.baseSnapshot,
            baseGuid: snapshot.baseGuid, created: snapshot.created, size: size, sha256: BackupFormat.hex(hasher.finalize()),
            object: object)
        try await client.putObject(
            manifestKey(dataset: snapshot.dataset, snapshot: snapshot.snapshot), bytes: BackupManifestCodec.encode(manifest, key: key))
        return manifest
    }

    public func strays(dataset: String) async throws -> [BackupStray] {
        let folder = "\(prefix)\(dataset)/"
        let objects = try await client.listAllObjects(prefix: folder).filter { !$0.key.dropFirst(folder.count).contains("/") }
        let manifests = Set(objects.map(\.key).filter { $0.hasSuffix(".manifest") })
        return objects.compactMap { object in
            guard object.key.hasSuffix(".zstream") else { return nil }
            let snapshot = String(object.key.dropFirst(folder.count).dropLast(".zstream".count))
            guard !manifests.contains(manifestKey(dataset: dataset, snapshot: snapshot)) else { return nil }
            return BackupStray(object: object.key, snapshot: snapshot, size: object.size, modified: object.lastModified)
        }
    }

    public func delete(stray: BackupStray) async throws {
        do {
            try await client.deleteObject(stray.object)
        } catch let error as S3Error where error.kind == .notFound {
            return
        }
    }

    public func manifests(dataset: String) async throws -> [BackupManifest] {
        let folder = "\(prefix)\(dataset)/"
        // Child datasets live in folders below this one: only this folder's own manifests count.
        let keys = try await client.listAllObjects(prefix: folder).map(\.key)
            .filter { $0.hasSuffix(".manifest") && !$0.dropFirst(folder.count).contains("/") }
        var manifests: [BackupManifest] = []
        for key in keys {
            let bytes: [UInt8]
            do {
                bytes = try await client.getObject(key, range: nil)
            } catch let error as S3Error where error.kind == .notFound {
                continue // pruned between the listing and the read
            }
            let manifest = try BackupManifestCodec.decode(bytes, key: self.key, object: key)
            // A manifest copied from another dataset's folder must not pass for this one's.
            guard manifest.dataset == dataset, key == manifestKey(dataset: dataset, snapshot: manifest.snapshot) else {
                throw BackupStoreError(.tampered, object: key, "the manifest describes \(manifest.dataset)@\(manifest.snapshot), not a snapshot stored here")
            }
            manifests.append(manifest)
        }
        return manifests.sorted { ($0.created, $0.snapshot) < ($1.created, $1.snapshot) }
    }

    public func download(
        _ manifest: BackupManifest, to sink: @escaping @Sendable ([UInt8]) async throws -> Void,
        progress: @escaping @Sendable (Int64) -> Void
    ) async throws {
        var opener = BackupOpener(
            key: key, objectID: BackupFormat.objectID(dataset: manifest.dataset, snapshot: manifest.snapshot, guid: manifest.guid),
            object: manifest.object, plainSize: manifest.size)
        var hasher = SHA256()
        var size: Int64 = 0
        var started = false
        do {
            try await client.getObject(manifest.object, range: nil) { head, bytes in
                if !started {
                    opener.contentLength = head.contentLength
                    started = true
                }
                for plain in try opener.append(bytes) {
                    hasher.update(data: plain)
                    size += Int64(plain.count)
                    try await sink(plain)
                    progress(size)
                }
            }
        } catch let error as S3Error where error.kind == .notFound {
            throw BackupStoreError(.missingObject, object: manifest.object, "the stream object is missing from the bucket")
        }
        // The last chunk is held back until the whole stream matches its manifest, so a receiver
        // never sees a complete-looking stream that is not the one that was backed up.
        let last = try opener.finish()
        hasher.update(data: last)
        size += Int64(last.count)
        let digest = BackupFormat.hex(hasher.finalize())
        guard size == manifest.size, digest == manifest.sha256 else {
            throw BackupStoreError(
                .tampered, object: manifest.object,
                "the decrypted stream is \(size) bytes with SHA-256 \(digest); its manifest says \(manifest.size) bytes, \(manifest.sha256)")
        }
        if !last.isEmpty { try await sink(last) }
        progress(size)
    }

    public func delete(_ manifest: BackupManifest) async throws {
        // The manifest goes first: a manifest that exists always names a complete object.
        for key in [manifestKey(dataset: manifest.dataset, snapshot: manifest.snapshot), manifest.object] {
            do {
                try await client.deleteObject(key)
            } catch let error as S3Error where error.kind == .notFound {
                continue // S3 answers 204 for a missing key; some compatible servers say 404
            }
        }
    }
}
