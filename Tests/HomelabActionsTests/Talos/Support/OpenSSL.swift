import Foundation

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
