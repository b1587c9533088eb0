import HomelabCore

/// How a ZFS action opens its session: the host's ZFS over the transport's shell, and ZFSError
/// turned into what the step fails with (ZFS's own words, retryable only when waiting may help).
struct ZFSSessions: IntegrationSessions {
    struct Target: Sendable {
        var ssh: SSHTarget
        var timeout: Duration

        init(_ call: ActionCall) throws {
            ssh = try SSHTarget.resolve(call)
            timeout = try call.duration(defaulted: "timeout")
        }
    }

    let shell: any RemoteShell

    /// The host's commands share one login for the step (see `RemoteShell.scoped`).
    func open(_ target: Target, context: any ActionContext) async throws -> ZFSHost {
        ZFSHost(scope: shell.scoped(), target: target.ssh, context: context, timeout: target.timeout)
    }

    func close(_ host: ZFSHost) async { await host.close() }

    func failure(_ error: any Error, target: Target) -> any Error {
        guard let error = error as? ZFSError else { return error }
        return ActionError(error.description, retryable: error.isRetryable)
    }
}
