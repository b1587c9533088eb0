/// Runs a program on the operator's machine and waits for it. Actions reach it through their
/// `ActionContext`; the live implementation is `SpawnedProcess`, and tests may put a double in
/// its place (a program that must not really run, such as `ansible-playbook`).
public protocol LocalProcess: Sendable {
    /// Runs `command` to its end. Cancelling the calling task stops the program (and everything
    /// it started): the call then throws `ProcessStopped`, saying which signal ended it.
    func run(_ command: ProcessCommand) async throws -> ProcessResult
}
