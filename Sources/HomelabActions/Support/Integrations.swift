import HomelabCore

/// The transports actions reach the world through: injected, never global, so tests can swap
/// any of them for a double.
public struct Integrations: Sendable {
    public var web: any WebClient
    public var shell: any RemoteShell
    public var proxmox: any ProxmoxConnecting

    public init(web: any WebClient, shell: any RemoteShell, proxmox: any ProxmoxConnecting = NoProxmox()) {
        self.web = web
        self.shell = shell
        self.proxmox = proxmox
    }
}

extension Integrations {
    /// The real transports: libcurl for HTTP and the Proxmox API, libssh2 for SSH. `trust`
    /// decides about Proxmox certificates that are not the pinned one.
    public static func live(trust: FingerprintTrust = FingerprintTrust()) -> Integrations {
        Integrations(web: LiveWebClient(), shell: LiveRemoteShell(), proxmox: LiveProxmoxConnector(trust: trust))
    }
}

/// For contexts without a Proxmox host (tests of other actions): every connection is refused.
public struct NoProxmox: ProxmoxConnecting {
    public init() {}

    public func connect(_ endpoint: ProxmoxEndpoint, context: any ActionContext) async throws -> any ProxmoxAPI {
        throw ProxmoxError(.fatal, call: "connect \(endpoint.url)", message: "no Proxmox connection is available here")
    }
}
