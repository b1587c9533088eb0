import HomelabTransport
import Synchronization

/// Who may trust a certificate that is not the pinned one. A reinstalled Proxmox host presents a
/// new self-signed certificate, so the inventory's pin goes stale exactly when recovery starts;
/// homelab never accepts the new one silently. It is trusted only when the operator passed it
/// (`--trust-fingerprint`) or answered yes when shown it on a terminal.
public final class FingerprintTrust: Sendable {
    /// What the operator is shown before trusting a certificate.
    public struct Question: Sendable, Equatable {
        /// The API the certificate belongs to.
        public var url: String
        /// What the server presented (`AA:BB:...`).
        public var presented: String
        /// What the inventory pins; nil when it pins nothing yet.
        public var expected: String?

        public init(url: String, presented: String, expected: String?) {
            self.url = url
            self.presented = presented
            self.expected = expected
        }
    }

    public typealias Asker = @Sendable (Question) async -> Bool

    private let state: Mutex<Set<String>>
    /// Fingerprints the operator has been told about (once per run, not once per step).
    private let announced = Mutex<Set<String>>([])
    private let asker: Asker?

    /// `trusted` are fingerprints given on the command line; `ask` is nil when nobody can answer
    /// (no terminal, or --json), in which case untrusted certificates are refused.
    public init(trusted: [String] = [], ask: Asker? = nil) {
        state = Mutex(Set(trusted.map(Self.normalized)))
        asker = ask
    }

    /// Whether the fingerprint was given or already approved in this run.
    public func isTrusted(_ fingerprint: String) -> Bool {
        state.withLock { $0.contains(Self.normalized(fingerprint)) }
    }

    /// Asks the operator, once per fingerprint per run; false when nobody can answer.
    public func decide(_ question: Question) async -> Bool {
        if isTrusted(question.presented) { return true }
        guard let asker else { return false }
        let yes = await asker(question)
        if yes { _ = state.withLock { $0.insert(Self.normalized(question.presented)) } }
        return yes
    }

    /// True the first time a trusted fingerprint is about to be used in this run.
    public func isFirstUse(of fingerprint: String) -> Bool {
        announced.withLock { $0.insert(Self.normalized(fingerprint)).inserted }
    }

    /// `aa:bb..`, `AABB..` and `AA:BB..` are the same fingerprint: `AA:BB:..`, or nil when the
    /// text is not a SHA-256 fingerprint.
    public static func canonical(_ text: String) -> String? {
        HTTPCertificateFingerprint(text)?.description
    }

    static func normalized(_ text: String) -> String {
        canonical(text) ?? text
    }
}
