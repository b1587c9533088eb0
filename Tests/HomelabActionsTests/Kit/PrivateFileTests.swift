import Foundation
import HomelabActions
import Testing

@Suite("Kit private files")
struct PrivateFileTests {
    private func directory() throws -> String {
        let path = NSTemporaryDirectory() + "homelab-private-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func aNewFileAndAReplacedOneAreBoth0600() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/secrets.yaml"
        try PrivateFile.write("one\n", to: path)
        #expect(try mode(path) == 0o600)
        // An older, readable file is replaced by a new 0600 one, not rewritten in place.
        FileManager.default.createFile(atPath: folder + "/old", contents: Data("x".utf8), attributes: [.posixPermissions: 0o644])
        try PrivateFile.write("two\n", to: folder + "/old")
        #expect(try mode(folder + "/old") == 0o600)
        #expect(try String(contentsOfFile: folder + "/old", encoding: .utf8) == "two\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["old", "secrets.yaml"])
    }

    @Test func aTerminalADirectoryOrAMissingFolderIsRefused() throws {
        let folder = try directory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let device = #expect(throws: PrivateFile.Failure.self) { try PrivateFile.write("secret", to: "/dev/null") }
        #expect(device?.description == "cannot write /dev/null: it exists and is not a regular file")
        #expect(throws: PrivateFile.Failure.self) { try PrivateFile.write("secret", to: folder) }
        let missing = #expect(throws: PrivateFile.Failure.self) { try PrivateFile.write("secret", to: folder + "/no/such/file") }
        #expect(missing?.description == "cannot write \(folder)/no/such/file: No such file or directory")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
}
