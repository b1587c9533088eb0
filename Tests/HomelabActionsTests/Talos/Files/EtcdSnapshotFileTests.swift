import Crypto
import Foundation
import Testing

@testable import HomelabActions

/// The checks made on a snapshot before a byte of it is sent: etcd's size rule and its
/// trailing SHA-256, as etcdutl's restore reads them.
struct EtcdSnapshotFileTests {
    /// Two 512-byte sectors of "database" and their SHA-256, as etcd writes a snapshot.
    func snapshot() -> Data {
        let database = Data((0..<1024).map { UInt8($0 % 251) })
        return database + Data(SHA256.hash(data: database))
    }

    func write(_ data: Data) throws -> String {
        let path = try TalosTestFiles.directory() + "/db.snapshot"
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aWholeSnapshotPasses() throws {
        #expect(try EtcdSnapshotFile.verify(path: write(snapshot())) == 1056)
    }

    @Test func aTruncatedSnapshotIsRefusedBySize() throws {
        let path = try write(snapshot().dropLast(10))
        #expect(throws: EtcdSnapshotFile.Failure.self) { try EtcdSnapshotFile.verify(path: path) }
        do {
            try EtcdSnapshotFile.verify(path: path)
        } catch {
            #expect(error.reason.contains("cut short"))
        }
    }

    @Test func aCorruptedSnapshotIsRefusedByItsHash() throws {
        var data = snapshot()
        data[100] ^= 0x01
        let path = try write(data)
        do {
            try EtcdSnapshotFile.verify(path: path)
            Issue.record("a corrupted snapshot passed")
        } catch {
            #expect(error.reason.contains("corrupted"))
        }
    }

    @Test func withoutTheHashCheckADatabaseOfWholeSectorsPasses() throws {
        let path = try write(snapshot().prefix(1024))
        #expect(try EtcdSnapshotFile.verify(path: path, checkHash: false) == 1024)
        #expect(throws: EtcdSnapshotFile.Failure.self) { try EtcdSnapshotFile.verify(path: path) }
    }

    @Test func aMissingFileIsNamed() {
        do {
            try EtcdSnapshotFile.verify(path: "/nonexistent/db.snapshot")
        } catch {
            #expect(error.description == "etcd snapshot /nonexistent/db.snapshot does not exist")
        }
    }
}

/// A node's kubeconfig archive: gzip, then tar, then the entry `kubeconfig`.
struct KubeconfigArchiveTests {
    /// Made with Python's tarfile (GNU format, as Go writes it) and gzip.
    static let archive =
        "H4sIANUxFmsC/+3QMQrCQBCF4alzijnCiCGBHMRGLDZLlEVJZNf1/FkCwcLaEPD/mvfelHPP/eCn8Rpu8jNWNGZL2nea1c2nL/e2PdaiJhvI6eWiqvwp9wynIaYwjZ2+D5V/lH+U3en5UuW0NgEAAAAAAAAAAAAAAAAA7MwMsKXzGAAoAAA="
    static let otherName = "H4sIANUxFmsC/+3IMQqDQBRF0b+UWcKXwLieFIJdYKLg8jNaCakjSM5p7uO9lnlq8VvZ1cyj+d1uOO39r+Mjo2RcYH0vz1ZK/KktAAAAAAAAAAAAuKMP7mU/UwAoAAA="
    func node() throws -> TalosNode { try TalosNode(value: .string("127.0.0.1")) }

    @Test func theEntryCalledKubeconfigIsTaken() throws {
        let bytes = [UInt8](Data(base64Encoded: Self.archive)!)
        #expect(try TalosKubeconfig.unpack(bytes, from: node()) == "apiVersion: v1\nclusters: []\nusers: []\n")
    }

    @Test func anArchiveWithoutItIsRefused() async {
        let bytes = [UInt8](Data(base64Encoded: Self.otherName)!)
        let failure = await ActionFailure.of { _ = try TalosKubeconfig.unpack(bytes, from: node()) }
        #expect(failure?.message.contains("no file named kubeconfig") == true)
    }

    @Test func aTruncatedArchiveIsRefused() async {
        let bytes = [UInt8](Data(base64Encoded: Self.archive)!.prefix(40))
        let failure = await ActionFailure.of { _ = try TalosKubeconfig.unpack(bytes, from: node()) }
        #expect(failure?.message.contains("cannot be unpacked") == true, "\(String(describing: failure))")
    }
}
