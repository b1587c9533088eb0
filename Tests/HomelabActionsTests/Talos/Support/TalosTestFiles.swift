import Foundation

/// Temporary files for the Talos tests, and the repository's own files they read.
enum TalosTestFiles {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func repositoryPath(_ relative: String) -> String {
        (repository as NSString).appendingPathComponent(relative)
    }

    /// The committed bundle the golden configs are rendered with (generated once by this code).
    static var fixtureBundlePath: String { repositoryPath("Tests/Fixtures/talos/secrets.yaml") }

    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "homelab-talos-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
