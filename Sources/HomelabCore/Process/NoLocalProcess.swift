/// For contexts whose actions run no local programs (notifications, test doubles): refuses,
/// rather than running a program with nowhere private to keep its output.
public struct NoLocalProcess: LocalProcess {
    public init() {}

    public func run(_ command: ProcessCommand) async throws -> ProcessResult {
        throw ActionError("cannot run \(command.arguments.first ?? "a program") here: this context runs no local programs")
    }
}
