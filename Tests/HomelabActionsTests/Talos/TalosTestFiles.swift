import Foundation

/// Temporary files for the Talos tests, and the repository's own files they read.
enum TalosTestFiles {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
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

/// The real `openssl` command: an independent check of what swift-certificates made.
enum OpenSSL {
    struct Result {
        let status: Int32
        let output: String
    }

    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let file = NSTemporaryDirectory() + "homelab-openssl-" + UUID().uuidString
        FileManager.default.createFile(atPath: file, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return Result(status: process.terminationStatus, output: try String(contentsOfFile: file, encoding: .utf8))
    }

    /// `openssl x509 -text` of a PEM certificate.
    static func text(certificate pem: String, in directory: String) throws -> Result {
        let path = directory + "/cert-\(UUID().uuidString).pem"
        try TalosTestFiles.write(pem, to: path)
        return try run(["x509", "-in", path, "-noout", "-text"])
    }
}
