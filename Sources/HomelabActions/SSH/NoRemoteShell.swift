import HomelabCore

/// For contexts that handed in no SSH transport (tests of other integrations): every command is
/// refused.
public struct NoRemoteShell: RemoteShell {
    public init() {}

    public func run(_ command: RemoteCommand, on target: SSHTarget) async throws -> RemoteResult {
        throw ActionError("no SSH connection is available here (asked to reach \(target.display))")
    }

    public func stream(
        _ command: RemoteCommand, on target: SSHTarget, input: RemoteInput,
        output: @escaping @Sendable ([UInt8]) async throws -> Void
    ) async throws -> RemoteStatus {
        throw ActionError("no SSH connection is available here (asked to reach \(target.display))")
    }
}
