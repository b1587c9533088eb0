import HomelabCore

/// The transports actions reach the world through, one per integration: injected, never global,
/// so tests can swap any of them for a double. It knows no integration by name: each one is a
/// key (its `Integration` type), so a new integration needs no change here.
public struct Integrations: Sendable {
    private var injected: [ObjectIdentifier: any Sendable] = [:]
    /// Set for the CLI: integrations with nothing injected get their live transport.
    private var live: LiveSettings?

    /// Every integration unavailable until given a transport (`with`): for tests.
    public init() {}

    /// The real transports for every integration: libcurl for HTTP and the Proxmox API, libssh2
    /// for SSH. `trust` decides about certificates that are not the pinned one.
    public static func live(trust: FingerprintTrust = FingerprintTrust()) -> Integrations {
        var integrations = Integrations()
        integrations.live = LiveSettings(trust: trust)
        return integrations
    }

    /// The transport of `integration`: the injected one, else the live one (made afresh on each
    /// read, so read it once per catalog), else one that refuses.
    public subscript<I: Integration>(_ integration: I.Type) -> I.Transport {
        get {
            if let transport = injected[ObjectIdentifier(integration)] as? I.Transport { return transport }
            return live.map(I.live) ?? I.unavailable
        }
        set { injected[ObjectIdentifier(integration)] = newValue }
    }

    /// A copy with `transport` for `integration`.
    public func with<I: Integration>(_ integration: I.Type, _ transport: I.Transport) -> Integrations {
        var copy = self
        copy[integration] = transport
        return copy
    }
}
