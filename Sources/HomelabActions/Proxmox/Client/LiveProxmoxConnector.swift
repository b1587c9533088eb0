import Foundation
import HomelabCore
import HomelabTransport

/// Opens ProxmoxClients over libcurl. Trust: the inventory's CA if given, else its pinned
/// fingerprint; before a pinned host gets the token, what it presents is learned with a pin that
/// cannot match (the handshake fails, nothing is sent), and a changed certificate is trusted only
/// through FingerprintTrust. One HTTPClient per (url, trust) is kept for the connector's life.
public struct LiveProxmoxConnector: ProxmoxConnecting {
    public let trust: FingerprintTrust
    let timeouts: ProxmoxTimeouts
    private let clients = ProxmoxHTTPClients()

    public init(trust: FingerprintTrust) {
        self.init(trust: trust, timeouts: ProxmoxTimeouts())
    }

    init(trust: FingerprintTrust, timeouts: ProxmoxTimeouts) {
        self.trust = trust
        self.timeouts = timeouts
    }

    public func connect(_ endpoint: ProxmoxEndpoint, context: any ActionContext) async throws -> any ProxmoxAPI {
        let serverTrust = try await serverTrust(for: endpoint, context: context)
        let client = try clients.client(url: endpoint.url, trust: serverTrust, timeouts: timeouts)
        let transport = LiveProxmoxTransport(client: client, baseURL: endpoint.url, token: endpoint.token, timeouts: timeouts)
        let tokenID = endpoint.token.contains("=") && endpoint.token.contains("!") ? endpoint.tokenID : nil
        return ProxmoxClient(node: endpoint.node, transport: transport, tokenID: tokenID,
                             policy: ProxmoxRetryPolicy(sleep: { try await context.sleep(for: $0) }))
    }

    /// The CA when given; else the pin, checked (or replaced by a trusted one) before any token goes out.
    func serverTrust(for endpoint: ProxmoxEndpoint, context: any ActionContext) async throws -> HTTPServerTrust {
        if let ca = endpoint.ca { return .certificateAuthorityFile(path: ca) }
        let expected = try endpoint.fingerprint.map { try Self.fingerprint($0, url: endpoint.url) }
        let probe = try clients.client(url: endpoint.url, trust: .pinnedCertificate(ProxmoxCertificateProbe.impossiblePin), timeouts: timeouts)
        let presentedText = try await ProxmoxCertificateProbe.presentedFingerprint(of: endpoint.url, using: probe, timeouts: timeouts)
        let presented = try Self.fingerprint(presentedText, url: endpoint.url)
        if presented == expected { return .pinnedCertificate(presented) }
        let question = FingerprintTrust.Question(url: endpoint.url, presented: presented.description, expected: expected?.description)
        guard await trust.decide(question) else {
            throw ProxmoxCertificateRefusal.error(url: endpoint.url, presented: presented.description, expected: expected?.description)
        }
        if trust.isFirstUse(of: presented.description) {
            context.report("Trusting \(endpoint.url)'s certificate \(presented.description)"
                + (expected.map { " instead of the pinned \($0.description)" } ?? "")
                + "; update proxmox.fingerprint in the inventory to \(presented.description).")
        }
        return .pinnedCertificate(presented)
    }

    static func fingerprint(_ text: String, url: String) throws -> HTTPCertificateFingerprint {
        guard let fingerprint = HTTPCertificateFingerprint(text) else {
            throw ProxmoxError(.fatal, call: "connect \(url)",
                               message: "'\(text)' is not a SHA-256 certificate fingerprint (32 bytes in hex, AA:BB:...)",
                               hint: "Fix proxmox.fingerprint in the inventory (`pvenode cert info` on the host shows it).")
        }
        return fingerprint
    }
}
