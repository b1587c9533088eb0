import HomelabCore
import HomelabTransport

/// Opens TalosClients. Actions hold one; tests hand in a double.
public protocol TalosConnecting: Sendable {
    func connect(_ target: TalosTarget, context: any ActionContext) async throws -> TalosClient
}

/// TalosClients over libcurl. Maintenance mode trusts any certificate unless a fingerprint is
/// pinned, and a pinned fingerprint that changed is put to the operator through the run's
/// FingerprintTrust (the kit's PinnedCertificateTrust, on the public key as Talos prints it).
/// Configured mode is mutual TLS with the talosconfig's CA, certificate and key. One HTTPClient
/// per (endpoint, trust, identity) is kept for the connector's life.
public struct LiveTalosConnector: TalosConnecting {
    public let trust: FingerprintTrust
    let timeouts: TalosTimeouts
    private let clients = HTTPClientPool()

    public init(trust: FingerprintTrust, timeouts: TalosTimeouts = TalosTimeouts()) {
        self.trust = trust
        self.timeouts = timeouts
    }

    public func connect(_ target: TalosTarget, context: any ActionContext) async throws -> TalosClient {
        let configuration: HTTPClientConfiguration
        switch target.mode {
        case .maintenance(nil):
            configuration = HTTPClientConfiguration(trust: .insecureNoVerification, timeouts: timeouts.http)
        case .maintenance(let pin?):
            configuration = HTTPClientConfiguration(trust: try await pinnedTrust(target, pin: pin, context: context), timeouts: timeouts.http)
        case .configured(let identity):
            configuration = identity.configuration(timeouts: timeouts.http)
        }
        let http = try clients.client(for: target.url, configuration)
        let grpc = GRPCClient(endpoint: target.url, transport: http)
        return TalosClient(target: target, transport: LiveTalosTransport(client: grpc), timeouts: timeouts)
    }

    /// The pinned public key, or the one the operator trusted instead; nothing is sent first.
    private func pinnedTrust(_ target: TalosTarget, pin: String, context: any ActionContext) async throws -> HTTPServerTrust {
        let pinned = PinnedCertificateTrust(
            service: .talosMaintenance, trust: trust, pool: clients, timeouts: timeouts.http, probeTimeout: timeouts.call, form: .publicKey)
        do {
            return try await pinned.serverTrust(url: target.url, probeURL: target.url + "/", pinned: pin, ca: nil, context: context)
        } catch let error as CertificateTrustError {
            throw TalosError(
                error.isTransient ? .notReady : .certificate, call: "connect", node: target.description, message: error.message, hint: error.hint)
        }
    }
}
