import HomelabCore

/// The transports actions reach the world through: injected, never global, so tests can swap
/// any of them for a double.
public struct Integrations: Sendable {
    public var web: any WebClient
    public var shell: any RemoteShell

    public init(web: any WebClient, shell: any RemoteShell) {
        self.web = web
        self.shell = shell
    }
}

extension Integrations {
    /// The real transports: libcurl for HTTP, libssh2 for SSH.
    public static func live() -> Integrations {
        Integrations(web: LiveWebClient(), shell: LiveRemoteShell())
    }
}
