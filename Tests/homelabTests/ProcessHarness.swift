import Foundation

/// Starts `homelab` as a child process that a test can kill at any moment, with output in files.
final class RunningHomelab: @unchecked Sendable {
    let process = Process()
    private let base = NSTemporaryDirectory() + "homelab-proc-" + UUID().uuidString

    /// `environment` is added to this process's own (which the child gets either way).
    init(_ arguments: [String], directory: String, environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        FileManager.default.createFile(atPath: base + ".out", contents: nil)
        FileManager.default.createFile(atPath: base + ".err", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: base + ".err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the exit; returns the status (128 + signal for a killed process).
    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    var stdout: String { (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "" }

    deinit {
        try? FileManager.default.removeItem(atPath: base + ".out")
        try? FileManager.default.removeItem(atPath: base + ".err")
    }
}

/// A fresh directory for one test: runbooks, outputs and the state directory.
struct Workspace {
    let path = NSTemporaryDirectory() + "homelab-ws-" + UUID().uuidString

    init() throws {
        try FileManager.default.createDirectory(atPath: path + "/state", withIntermediateDirectories: true)
    }

    var state: String { path + "/state" }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
    }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: path + "/" + name, encoding: .utf8)) ?? ""
    }

    func journals() -> [String] {
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: state + "/runs")) ?? []
        // Hidden entries are runs being created, not runs (as StateDirectory.runIDs() says).
        return runs.filter { !$0.hasPrefix(".") }.sorted().map { state + "/runs/" + $0 + "/journal.jsonl" }
    }
}
