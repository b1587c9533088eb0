import HomelabTransport
import Synchronization

/// Who may trust a certificate that is not the pinned one. A reinstalled host (Proxmox, a Talos
/// node) presents a new self-signed certificate, so the inventory's pin goes stale exactly when
/// recovery starts; homelab never accepts the new one silently. It is trusted only when the
/// operator passed it (`--trust-fingerprint`) or answered yes when shown it on a terminal. One
/// instance serves every integration of a run.
public final class FingerprintTrust: Sendable {
    /// What the operator is shown before trusting a certificate.
    public struct Question: Sendable, Equatable {
        /// Whose certificate it is, and how to check it.
        public var service: TrustedService
        /// The API the certificate belongs to.
        public var url: String
        /// What the server presented (`AA:BB:...`).
        public var presented: String
        /// What the inventory pins; nil when it pins nothing yet.
        public var expected: String?

        public init(service: TrustedService, url: String, presented: String, expected: String?) {
            self.service = service
            self.url = url
            self.presented = presented
            self.expected = expected
        }

        /// How a terminal run puts it to the operator.
        public var text: String {
            let pinned = expected.map { "the inventory pins\n    \($0)" } ?? "the inventory pins no fingerprint yet"
            return """
                The \(service.name) at \(url) presents a certificate with SHA-256 fingerprint
                    \(presented)
                  but \(pinned).
                  A reinstalled host has a new certificate; an impostor would too. Compare it with
                  '\(service.checkCommand)' on the host's own console before you answer.
                  Trust this certificate for this run?
                """
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
