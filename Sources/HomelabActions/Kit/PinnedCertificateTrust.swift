import Foundation
import HomelabCore
import HomelabTransport

/// How a client trusts a service with a self-signed certificate (Proxmox today, Talos and
/// Kubernetes next): the inventory's CA when it gives one; else the pinned fingerprint, checked
/// by a probe that sends nothing before any token goes out; a certificate that is not the
/// pinned one is used only when FingerprintTrust says the operator trusts it.
struct PinnedCertificateTrust: Sendable {
    /// What the pin hashes: the certificate (Proxmox's `AA:BB:..`), or its public key (Talos'
    /// base64 SHA-256 of the SubjectPublicKeyInfo, which a node's console prints).
    enum Form: Sendable {
        case certificate
        case publicKey
    }

    let service: TrustedService
    let trust: FingerprintTrust
    /// Where the probing client is kept (one per service URL).
    let pool: HTTPClientPool
    /// The probing client's connect and stall limits, and how long one probe may take.
    let timeouts: HTTPTimeouts
    let probeTimeout: Duration
    var form: Form = .certificate

    /// The trust a client for `url` should be made with. `probeURL` is what the probe asks
    /// (never sent: the handshake fails first); `pinned` and `ca` are the inventory's.
    /// Throws CertificateTrustError.
    func serverTrust(url: String, probeURL: String, pinned: String?, ca: String?, context: any ActionContext) async throws -> HTTPServerTrust {
        if let ca { return .certificateAuthorityFile(path: ca) }
        let expected = try pinned.map { try pin($0, url: url) }
        let presented = try await presentedPin(url: url, probeURL: probeURL)
        if presented == expected { return trusting(presented) }
        let question = FingerprintTrust.Question(service: service, url: url, presented: presented, expected: expected)
        guard await trust.decide(question) else {
            throw CertificateTrustError(service: service, url: url, problem: .refused(presented: presented, expected: expected))
        }
        if trust.isFirstUse(of: presented) {
            context.report(
                "Trusting \(url)'s certificate \(presented)"
                    + (expected.map { " instead of the pinned \($0)" } ?? "")
                    + "; update \(service.pinSetting) in the inventory to \(presented).")
        }
        return trusting(presented)
    }

    /// The trust for a pin in this form's text (checked by `pin` or read from the probe).
    private func trusting(_ text: String) -> HTTPServerTrust {
        switch form {
        case .certificate: HTTPCertificateFingerprint(text).map { .pinnedCertificate($0) } ?? .pinnedCertificate(HTTPCertificateProbe.impossiblePin)
        case .publicKey: Self.publicKeyPin(text).map { .pinnedPublicKey($0) } ?? .pinnedPublicKey(HTTPCertificateProbe.impossiblePublicKeyPin)
        }
    }

    /// A public-key pin in Talos' form (base64) or curl's (`sha256//` and base64).
    static func publicKeyPin(_ text: String) -> HTTPPublicKeyPin? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return HTTPPublicKeyPin(trimmed.hasPrefix("sha256//") ? trimmed : "sha256//" + trimmed)
    }

    /// How a public-key pin is shown: base64 alone, as a Talos node's console prints it.
    static func text(of pin: HTTPPublicKeyPin) -> String {
        String(pin.description.dropFirst("sha256//".count))
    }

    /// The pin the server presents, as text in this form (`AA:BB:..` or base64).
    private func presentedPin(url: String, probeURL: String) async throws -> String {
        do {
            switch form {
            case .certificate:
                let client = try pool.client(for: url, HTTPCertificateProbe.configuration(timeouts: timeouts))
                return try await HTTPCertificateProbe.presentedFingerprint(at: probeURL, using: client, timeout: probeTimeout).description
            case .publicKey:
                let client = try pool.client(for: url, HTTPCertificateProbe.publicKeyConfiguration(timeouts: timeouts))
                return Self.text(of: try await HTTPCertificateProbe.presentedPublicKey(at: probeURL, using: client, timeout: probeTimeout))
            }
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

    /// The inventory's pin, checked and in canonical text.
    private func pin(_ text: String, url: String) throws -> String {
        let canonical: String? =
            switch form {
            case .certificate: HTTPCertificateFingerprint(text)?.description
            case .publicKey: Self.publicKeyPin(text).map(Self.text(of:))
            }
        guard let canonical else { throw CertificateTrustError(service: service, url: url, problem: .notAFingerprint(text)) }
        return canonical
    }
}
