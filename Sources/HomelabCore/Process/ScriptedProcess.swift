import Synchronization

/// A `LocalProcess` double: records every command and answers from a script instead of running
/// anything, so tests of actions that run programs (`ansible-playbook`, the bench's) need no
/// program and no real time. It lives beside the live one so every test target (and later
/// integrations' tests) share one double instead of each writing its own.
public final class ScriptedProcess: LocalProcess, Sendable {
    /// What one run answers.
    public enum Answer: Sendable {
        /// The program ended with this status and output.
        case exit(ProcessResult)
        /// Starting it failed (a missing program, say).
        case failure(any Error & Sendable)
        /// It runs until the calling task is cancelled, then stops as SpawnedProcess reports it.
        case untilCancelled
    }

    public typealias Responder = @Sendable (ProcessCommand) -> Answer

    private let responder: Responder
    private let recorded = Mutex<[ProcessCommand]>([])

    /// Answers each command with what `responder` says (match on the program or its arguments).
    public init(_ responder: @escaping Responder) {
        self.responder = responder
    }

    /// Answers the runs in order; the last answer repeats once the script is used up.
    public convenience init(script: [Answer]) {
        precondition(!script.isEmpty, "a script needs at least one answer")
        let remaining = Mutex(script)
        self.init { _ in remaining.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] } }
    }

    /// Every command run so far, in order.
    public var commands: [ProcessCommand] { recorded.withLock { $0 } }

    public func run(_ command: ProcessCommand) async throws -> ProcessResult {
        recorded.withLock { $0.append(command) }
        try Task.checkCancellation()
        switch responder(command) {
        case .exit(let result):
            return result
        case .failure(let error):
            throw error
        case .untilCancelled:
            let program = command.arguments.first ?? ""
            // Waits without a timer: the stream never yields and ends only when the task is cancelled.
            let (never, continuation) = AsyncStream<Void>.makeStream()
            await withTaskCancellationHandler {
                for await _ in never {}
            } onCancel: {
                continuation.finish()
            }
            throw ProcessStopped(program: program, signal: .terminated)
        }
    }
}
