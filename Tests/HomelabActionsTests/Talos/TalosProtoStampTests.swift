import Foundation
import HomelabCore
import HomelabTransport
import LabSupport
import Testing

/// The committed protobuf code is what `make proto` makes from the committed .proto files, for
/// the Talos version the inventory names: proto/talos/GENERATED records both, and any drift
/// (a hand edit, a .proto changed without regenerating, a new talos.version) fails here.
@Suite("Talos protobuf code is up to date")
struct TalosProtoStampTests {
    static let root = LabFixture.repositoryRoot
    static let advice = "run `make proto` and commit the result"

    struct Stamp {
        var version = ""
        var digests: [String: String] = [:]
    }

    static func stamp() throws -> Stamp {
        let text = try String(contentsOf: root.appendingPathComponent("proto/talos/GENERATED"), encoding: .utf8)
        var stamp = Stamp()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ").map(String.init)
            if fields.first == "talos-version", fields.count == 2 { stamp.version = fields[1] }
            if fields.first == "sha256", fields.count == 3 { stamp.digests[fields[2]] = fields[1] }
        }
        return stamp
    }

    /// Every file the stamp must cover: the .proto sources and both generated trees.
    static func coveredFiles() throws -> Set<String> {
        let fileManager = FileManager.default
        var files: Set<String> = []
        let protoDir = root.appendingPathComponent("proto/talos")
        for case let path as String in fileManager.enumerator(atPath: protoDir.path) ?? NSEnumerator() where path.hasSuffix(".proto") {
            files.insert("proto/talos/" + path)
        }
        for (folder, suffixes) in [("Sources/HomelabActions/Talos/Proto", [".pb.swift"]), ("lab/talos_proto", ["_pb2.py", "_grpc.py"])] {
            for name in try fileManager.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
            where suffixes.contains(where: { name.hasSuffix($0) }) {
                files.insert("\(folder)/\(name)")
            }
        }
        return files
    }

    static func sha256(_ path: String) throws -> String {
        let data = try Data(contentsOf: root.appendingPathComponent(path))
        return Digest.sha256([UInt8](data)).map { String(format: "%02x", $0) }.joined()
    }

    @Test func everyProtoAndGeneratedFileMatchesTheStamp() throws {
        let stamp = try Self.stamp()
        let files = try Self.coveredFiles()
        #expect(files.count >= 14, "expected 4 .proto files, 4 Swift files and 6 Python modules; found \(files.sorted())")
        #expect(Set(stamp.digests.keys) == files, "the stamp lists other files than there are: \(Self.advice)")
        for file in files.sorted() {
            #expect(try Self.sha256(file) == stamp.digests[file], "\(file) differs from what make proto generated: \(Self.advice)")
        }
    }

    @Test func theStampIsForTheInventorysTalosVersion() throws {
        let (root, diagnostics) = YAMLLoader().load(path: Self.root.appendingPathComponent("inventory.yaml").path)
        let inventory = try #require(root.map(Value.init), "inventory.yaml did not load: \(diagnostics)")
        let version = try #require(inventory["talos"]?["version"]?.text)
        #expect(version.hasPrefix("v1.13."), "the protos follow Talos v1.13; check them against upstream before moving to \(version)")
        #expect(try Self.stamp().version == version, "proto/talos/GENERATED is for another Talos version than inventory.yaml's talos.version: \(Self.advice)")
    }
}
