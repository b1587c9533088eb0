import HomelabCore

/// One integration (HTTP, SSH, Proxmox; Talos, Kubernetes next): the transport its actions reach
/// the world through, how the live one is made, and the actions it offers. The catalog lists
/// integrations, not actions, so adding one is a new conforming type and one line in
/// `ActionCatalog.integrations`; tests swap its transport through `Integrations`.
public protocol Integration {
    /// What the actions are built on: a client protocol such as `any ProxmoxConnecting`.
    associatedtype Transport: Sendable

    /// The real transport (libcurl, libssh2), made with what the run decided (certificate trust).
    static func live(_ settings: LiveSettings) -> Transport
    /// For contexts that handed in no transport for this integration: one that refuses every
    /// call with a clear error, never a live connection by surprise.
    static var unavailable: Transport { get }
    /// The integration's actions, each built on `transport`.
    static func actions(_ transport: Transport) -> [any Action]
}

extension Integration {
    /// The actions, on the transport `integrations` holds for this integration.
    static func actions(in integrations: Integrations) -> [any Action] {
        actions(integrations[Self.self])
    }
}
