import Foundation

/// The live `LocalProcess`: posix_spawn, output spooled into `spool` (files no one else can
/// read, gone when the program ends), stopped through its process group when the task is
/// cancelled: SIGTERM, then SIGKILL after `grace`.
public struct SpawnedProcess: LocalProcess {
    public let spool: SpoolDirectory
    /// How long a program may take to end after SIGTERM before it is killed.
    public let grace: Duration
    public let cap: OutputCap

    public init(spool: SpoolDirectory, grace: Duration = .seconds(5), cap: OutputCap = .standard) {
        self.spool = spool
        self.grace = grace
        self.cap = cap
    }

    public func run(_ command: ProcessCommand) async throws -> ProcessResult {
        guard let program = command.arguments.first else { throw ActionError("no program to run: the command is empty") }
        try Task.checkCancellation()
        try spool.prepare()
        let stdout = try SpoolFile(in: spool)
        let stderr = try SpoolFile(in: spool)
        let child = try ChildProcess(command, stdout: stdout.descriptor, stderr: stderr.descriptor)
        let grace = grace
        let status = await withTaskCancellationHandler {
            await child.exit()
        } onCancel: {
            child.stop(grace: grace)
        }
        if let signal = child.stopped { throw ProcessStopped(program: program, signal: signal) }
        return ProcessResult(status: Self.exitStatus(status), stdout: stdout.text(cap: cap), stderr: stderr.text(cap: cap))
    }

    /// Runs `body` with programs spooled in a private temporary directory, removed afterwards:
    /// for programs outside a run (plan probes, secret commands).
    public static func withPrivateSpool<T>(cap: OutputCap = .standard, _ body: (SpawnedProcess) async throws -> T) async rethrows -> T {
        let spool = SpoolDirectory.temporary()
        defer { spool.remove() }
        return try await body(SpawnedProcess(spool: spool, cap: cap))
    }

    /// The exit code, or 128 + the signal that ended the program (the shells' convention).
    static func exitStatus(_ wait: Int32) -> Int32 {
        let signal = wait & 0x7F
        return signal == 0 ? (wait >> 8) & 0xFF : 128 + signal
    }
}
