import HomelabCore

/// For contexts without a Proxmox host (tests of other actions): every connection is refused.
public struct NoProxmox: ProxmoxConnecting {
    public init() {}

    public func connect(_ endpoint: ProxmoxEndpoint, context: any ActionContext) async throws -> any ProxmoxAPI {
        throw ProxmoxError(.fatal, call: "connect \(endpoint.url)", message: "no Proxmox connection is available here")
    }
}
