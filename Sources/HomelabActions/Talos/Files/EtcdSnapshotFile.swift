import Crypto
import Foundation

/// An etcd v3 snapshot as `etcdctl snapshot save` and Talos' EtcdSnapshot write it: the bbolt
/// database (a whole number of 512-byte sectors) followed by the SHA-256 of those bytes. The
/// restore (etcdutl's copyAndVerifyDB) reads the last 32 bytes as that hash when the size is 32
/// more than a multiple of 512, and compares it with the hash of everything before. Checking both
/// here refuses a truncated or corrupted file before a byte is sent to a node.
public enum EtcdSnapshotFile {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "etcd snapshot \(path) \(reason)" }
    }

    static let hashSize = 32

    /// The size rule alone: what talosctl checks after a download.
    public static func hasHashTrailer(size: Int) -> Bool {
        size >= hashSize && size % 512 == hashSize
    }

    /// Checks the size rule and the trailing hash, reading the file in pieces. Returns its size.
    @discardableResult
    public static func verify(path: String, checkHash: Bool = true) throws(Failure) -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure(path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist")
        }
        defer { try? handle.close() }
        let size: Int
        do {
            size = Int(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
        } catch {
            throw Failure(path: path, reason: "cannot be read: \(error.localizedDescription)")
        }
        // Without the hash check (a database copied from a data directory) whole sectors will do.
        if !checkHash, size > 0, size % 512 == 0 || hasHashTrailer(size: size) { return size }
        guard hasHashTrailer(size: size) else {
            throw Failure(
                path: path,
                reason: "is \(size) bytes: an etcd snapshot is a database of whole 512-byte sectors plus a 32-byte SHA-256, so it was cut short "
                    + "or is not a snapshot (size % 512 must be 32)")
        }
        var hash = SHA256()
        var left = size - hashSize
        do {
            while left > 0 {
                guard let data = try handle.read(upToCount: min(left, 1 << 20)), !data.isEmpty else {
                    throw Failure(path: path, reason: "ended while being read")
                }
                hash.update(data: data)
                left -= data.count
            }
            let stored = try handle.read(upToCount: hashSize) ?? Data()
            guard Array(stored) == Array(hash.finalize()) else {
                throw Failure(path: path, reason: "is corrupted: the SHA-256 of its database does not match the hash stored at its end")
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(path: path, reason: "cannot be read: \(error.localizedDescription)")
        }
        return size
    }
}
