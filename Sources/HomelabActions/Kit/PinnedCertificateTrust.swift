import HomelabCore
import HomelabTransport

/// How a client trusts a service with a self-signed certificate (Proxmox today, Talos and
/// Kubernetes next): the inventory's CA when it gives one; else the pinned fingerprint, checked
/// by a probe that sends nothing before any token goes out; a certificate that is not the
/// pinned one is used only when FingerprintTrust says the operator trusts it.
struct PinnedCertificateTrust: Sendable {
    let service: TrustedService
    let trust: FingerprintTrust
    /// Where the probing client is kept (one per service URL).
    let pool: HTTPClientPool
    /// The probing client's connect and stall limits, and how long one probe may take.
    let timeouts: HTTPTimeouts
    let probeTimeout: Duration

    /// The trust a client for `url` should be made with. `probeURL` is what the probe asks
    /// (never sent: the handshake fails first); `pinned` and `ca` are the inventory's.
    /// Throws CertificateTrustError.
    func serverTrust(url: String, probeURL: String, pinned: String?, ca: String?, context: any ActionContext) async throws -> HTTPServerTrust {
        if let ca { return .certificateAuthorityFile(path: ca) }
        let expected = try pinned.map { try fingerprint($0, url: url) }
        let presented = try await presentedFingerprint(url: url, probeURL: probeURL)
        if presented == expected { return .pinnedCertificate(presented) }
        let question = FingerprintTrust.Question(service: service, url: url, presented: presented.description, expected: expected?.description)
        guard await trust.decide(question) else {
            throw CertificateTrustError(service: service, url: url, problem: .refused(presented: presented.description, expected: expected?.description))
        }
        if trust.isFirstUse(of: presented.description) {
            context.report(
                "Trusting \(url)'s certificate \(presented.description)"
                    + (expected.map { " instead of the pinned \($0.description)" } ?? "")
                    + "; update \(service.pinSetting) in the inventory to \(presented.description).")
        }
        return .pinnedCertificate(presented)
    }

    private func presentedFingerprint(url: String, probeURL: String) async throws -> HTTPCertificateFingerprint {
        let client = try pool.client(for: url, HTTPCertificateProbe.configuration(timeouts: timeouts))
        do {
            return try await HTTPCertificateProbe.presentedFingerprint(at: probeURL, using: client, timeout: probeTimeout)
        } catch let failure as HTTPCertificateProbe.Failure {
            let problem: CertificateTrustError.Problem =
                switch failure {
                case .notHTTPS: .notHTTPS
                case .unreachable(let error): .unreachable(error, transient: error.isWorthWaitingFor)
                case .unreadable(let text): .notAFingerprint(text)
                case .pinAccepted: .pinAccepted
                }
            throw CertificateTrustError(service: service, url: url, problem: problem)
        }
    }

    private func fingerprint(_ text: String, url: String) throws -> HTTPCertificateFingerprint {
        guard let fingerprint = HTTPCertificateFingerprint(text) else {
            throw CertificateTrustError(service: service, url: url, problem: .notAFingerprint(text))
        }
        return fingerprint
    }
}
