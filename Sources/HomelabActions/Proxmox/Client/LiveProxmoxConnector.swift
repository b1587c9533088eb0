import Foundation
import HomelabCore
import HomelabTransport

/// Opens ProxmoxClients over libcurl. Trust is the kit's PinnedCertificateTrust: the inventory's
/// CA if given, else its pinned fingerprint, checked before the token is sent; a changed
/// certificate is trusted only through FingerprintTrust. One HTTPClient per (url, trust) is kept
/// for the connector's life.
public struct LiveProxmoxConnector: ProxmoxConnecting {
    public let trust: FingerprintTrust
    let timeouts: ProxmoxTimeouts
    private let clients = HTTPClientPool()

    public init(trust: FingerprintTrust) {
        self.init(trust: trust, timeouts: ProxmoxTimeouts())
    }

    init(trust: FingerprintTrust, timeouts: ProxmoxTimeouts) {
        self.trust = trust
        self.timeouts = timeouts
    }

    public func connect(_ endpoint: ProxmoxEndpoint, context: any ActionContext) async throws -> any ProxmoxAPI {
        let serverTrust: HTTPServerTrust
        do {
            serverTrust = try await PinnedCertificateTrust(
                service: .proxmoxAPI, trust: trust, pool: clients, timeouts: timeouts.http, probeTimeout: timeouts.request
            )
            .serverTrust(url: endpoint.url, probeURL: Self.trimmed(endpoint.url) + "/version", pinned: endpoint.fingerprint, ca: endpoint.ca, context: context)
        } catch let error as CertificateTrustError {
            throw ProxmoxError(error)
        }
        let client = try clients.client(for: endpoint.url, HTTPClientConfiguration(trust: serverTrust, timeouts: timeouts.http))
        let transport = LiveProxmoxTransport(client: client, baseURL: endpoint.url, token: endpoint.token, timeouts: timeouts)
        let tokenID = endpoint.token.contains("=") && endpoint.token.contains("!") ? endpoint.tokenID : nil
        return ProxmoxClient(
            node: endpoint.node, transport: transport, tokenID: tokenID,
            policy: ProxmoxRetryPolicy(sleep: { try await context.sleep(for: $0) }))
    }

    /// The API base without a trailing slash.
    static func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
