import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A fixture from lab/fixtures (an sshd, an HTTPS or gRPC test server) running for a test.
/// It prints one JSON line when ready and exits when its stdin closes, so it never outlives us.
/// Shared by the test targets that need real peers.
public final class LabFixture: @unchecked Sendable {
    public let info: [String: Any]
    private let process: Process
    private let stdin: Pipe

    public enum Failure: Error, CustomStringConvertible {
        case didNotStart(String, stderr: String)
        public var description: String {
            switch self {
            case .didNotStart(let name, let stderr): "fixture \(name) did not start: \(stderr)"
            }
        }
    }

    /// The repository root, found from this file's place in Tests/LabSupport.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The lab's Python: HOMELAB_LAB_PYTHON, else the venv `make test` builds, else python3.
    public static var python: String {
        if let configured = ProcessInfo.processInfo.environment["HOMELAB_LAB_PYTHON"] { return configured }
        let venv = repositoryRoot.appendingPathComponent(".build-lab/venv/bin/python3").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/env"
    }

    /// Starts `lab/fixtures/<script>` with arguments and waits (up to `timeout`) for its JSON line.
    /// The wait happens on a thread of its own: a fixture takes seconds to start on a loaded
    /// machine, and a test blocking one of the few cooperative threads for that long starves every
    /// other test of the process (their calls then ran out of time waiting to be scheduled).
    /// At most a few start at once: a suite starts every test together, and fifty Python
    /// fixtures importing and making keys at the same moment left two cores so busy that the
    /// tests already running timed out against their own, idle-looking servers.
    public static func start(_ script: String, _ arguments: [String] = [], timeout: TimeInterval = 60) async throws -> LabFixture {
        await startSlots.acquire()
        defer { Task { await startSlots.release() } }
        return try await offCooperativePool { try LabFixture(script, arguments, timeout: timeout) }
    }

    private static let startSlots = StartSlots(count: 3)

    private init(_ script: String, _ arguments: [String] = [], timeout: TimeInterval) throws {
        let process = Process()
        let python = Self.python
        process.executableURL = URL(fileURLWithPath: python)
        let scriptPath = Self.repositoryRoot.appendingPathComponent("lab/fixtures/\(script)").path
        process.arguments = (python == "/usr/bin/env" ? ["python3"] : []) + ["-u", scriptPath] + arguments
        process.currentDirectoryURL = Self.repositoryRoot
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        self.process = process
        self.stdin = stdin

        let line = Self.readLine(stdout.fileHandleForReading, timeout: timeout)
        guard let line, let data = line.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            process.terminate()
            let err = String(decoding: stderr.fileHandleForReading.availableDataNonBlocking(), as: UTF8.self)
            throw Failure.didNotStart(script, stderr: err)
        }
        self.info = object
        // Keep draining stderr so a chatty fixture never blocks on a full pipe.
        stderr.fileHandleForReading.readabilityHandler = { handle in _ = handle.availableData }
        stdout.fileHandleForReading.readabilityHandler = { handle in _ = handle.availableData }
    }

    public func string(_ key: String) -> String { info[key] as? String ?? "" }
    public func int(_ key: String) -> Int { (info[key] as? NSNumber)?.intValue ?? 0 }

    public var processIdentifier: Int32 { process.processIdentifier }

    /// Stops the fixture and returns once it has exited (closing stdin is the polite way; SIGTERM
    /// if it lingers), for tests that need its port closed.
    public func stop() async {
        await offCooperativePool { self.stopNow() }
    }

    /// Stops the fixture without waiting for it: what deinit does, so that dropping a fixture
    /// never blocks a cooperative thread. `then` runs once it has exited (e.g. removing its folder).
    public func stopInBackground(then: @escaping @Sendable () -> Void = {}) {
        Thread.detachNewThread {
            self.stopNow()
            then()
        }
    }

    private func stopNow() { Self.stop(process, stdin: stdin) }

    private static func stop(_ process: Process, stdin: Pipe) {
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
    }

    deinit {
        // Stopped from a thread that holds what it needs, not self (which is going away).
        let (process, stdin) = (process, stdin)
        Thread.detachNewThread { Self.stop(process, stdin: stdin) }
    }

    private static func readLine(_ handle: FileHandle, timeout: TimeInterval) -> String? {
        var bytes: [UInt8] = []
        let fd = handle.fileDescriptor
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let left = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
            guard poll(&pfd, 1, min(left, 1000)) >= 0 else { return nil }
            if pfd.revents == 0 { continue }
            var byte: UInt8 = 0
            let n = read(fd, &byte, 1)
            if n <= 0 { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }
}

extension FileHandle {
    /// Whatever stderr holds right now, without waiting for EOF of a process that may hang.
    fileprivate func availableDataNonBlocking() -> Data {
        let fd = fileDescriptor
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        var out = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }
}
