import Foundation

/// Runs the built `homelab` executable, as an operator would, and captures what it prints.
struct CommandRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The executable beside the test bundle (both are products of the same build).
    static let executable: String = {
        if let path = ProcessInfo.processInfo.environment["HOMELAB_BIN"] { return path }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("homelab").path
    }()

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        try run(program: executable, arguments, in: repository.path, environment: environment)
    }

    /// Any program, in any directory; `inherit: false` gives it exactly `environment`.
    static func run(program: String, _ arguments: [String], in directory: String, environment: [String: String], inherit: Bool = true) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = inherit ? ProcessInfo.processInfo.environment.merging(environment) { $1 } : environment
        // Files, not pipes: nothing to drain concurrently, so no thread can block on a full pipe.
        let base = NSTemporaryDirectory() + "homelab-cli-" + UUID().uuidString
        FileManager.default.createFile(atPath: base + ".out", contents: nil)
        FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: base + ".out")
            try? FileManager.default.removeItem(atPath: base + ".err")
        }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = try String(contentsOfFile: base + ".out", encoding: .utf8)
        let stderr = try String(contentsOfFile: base + ".err", encoding: .utf8)
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}
