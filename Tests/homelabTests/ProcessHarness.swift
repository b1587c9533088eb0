import Foundation
import HomelabCore

/// Starts `homelab` as a child process that a test can kill at any moment, with output in files.
final class RunningHomelab: @unchecked Sendable {
    let process = Process()
    private let base = NSTemporaryDirectory() + "homelab-proc-" + UUID().uuidString

    /// `environment` is added to the test's own; `stdout`, when given, replaces the output file.
    init(_ arguments: [String], directory: String, environment: [String: String] = [:], stdout: Pipe? = nil) throws {
        process.executableURL = URL(fileURLWithPath: CommandRunner.executable)
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        FileManager.default.createFile(atPath: base + ".out", contents: nil)
        FileManager.default.createFile(atPath: base + ".err", contents: nil)
        process.standardOutput = try stdout ?? FileHandle(forWritingTo: URL(fileURLWithPath: base + ".out"))
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

    /// Waits up to `limit` for the exit; nil, with the child killed, when it has not ended by
    /// then (a test of something that used to hang must fail, not hang).
    func wait(upTo limit: Duration) -> Int32? {
        let deadline = ContinuousClock.now + limit
        while process.isRunning && ContinuousClock.now < deadline { usleep(20_000) }
        guard process.isRunning else { return wait() }
        signal(SIGKILL)
        _ = wait()
        return nil
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
        let directory = StateDirectory(path: state)
        return directory.runIDs().map(directory.journalPath)
    }
}
