import HomelabTransport

/// Why a connection to a pinned service was not opened, worded for that service: a certificate
/// nobody trusted, a pin that is not a fingerprint, a host that does not answer. Integrations wrap
/// it in their own error type (with the call) and keep `message` and `hint` as they are.
struct CertificateTrustError: Error, Sendable, CustomStringConvertible {
    enum Problem: Sendable {
        /// The certificate is not the pinned one (or nothing is pinned) and nobody trusted it.
        case refused(presented: String, expected: String?)
        /// The inventory's pin (or what TLS reported) is not a SHA-256 fingerprint.
        case notAFingerprint(String)
        /// The probe got no handshake; `transient` when waiting may help (a host still booting).
        case unreachable(HTTPError, transient: Bool)
        /// The URL is not https.
        case notHTTPS
        /// The probe's impossible pin was accepted: pinning is broken.
        case pinAccepted
    }

    let service: TrustedService
    /// The service's URL, as the inventory gives it.
    let url: String
    let problem: Problem

    var message: String {
        switch problem {
        case .refused(let presented, let expected):
            let pinned =
                expected.map { "the inventory pins \($0) (\(service.pinSetting))" }
                ?? "the inventory pins no fingerprint yet (\(service.pinSetting))"
            return "\(url) presents a certificate with SHA-256 fingerprint \(presented), but \(pinned). Nothing was sent to it."
        case .notAFingerprint(let text):
            return "'\(text)' is not a SHA-256 certificate fingerprint (32 bytes in hex, AA:BB:...)"
        case .unreachable(let error, _):
            return "could not reach the \(service.name): \(error)"
        case .notHTTPS:
            return "the \(service.name) is served over HTTPS only"
        case .pinAccepted:
            return "the certificate check accepted a fingerprint no certificate has"
        }
    }

    var hint: String {
        switch problem {
        case .refused(let presented, _):
            return "\(service.whyItChanges); anything else may be an impostor. \(service.howToCheck) If it matches, run again with "
                + "`--trust-fingerprint \(presented)`, or set `\(service.pinSetting): \(presented)` in the inventory."
        case .notAFingerprint:
            return "Fix \(service.pinSetting) in the inventory (`\(service.checkCommand)` on the host shows it)."
        case .unreachable:
            return service.unreachableHint
        case .notHTTPS:
            return "Set \(service.addressSetting) to \(service.addressExample) in the inventory."
        case .pinAccepted:
            return "This is a bug in homelab's TLS pinning; do not trust this connection."
        }
    }

    /// Waiting may help: a host that is still booting.
    var isTransient: Bool {
        if case .unreachable(_, let transient) = problem { return transient }
        return false
    }

    var description: String { "\(message)\n  \(hint)" }
}
