import HomelabActions

/// How a certificate that is not the pinned one is put to the operator.
enum TrustQuestion {
    static func text(_ question: FingerprintTrust.Question) -> String {
        let pinned = question.expected.map { "the inventory pins\n    \($0)" } ?? "the inventory pins no fingerprint yet"
        return """
        The Proxmox API at \(question.url) presents a certificate with SHA-256 fingerprint
            \(question.presented)
          but \(pinned).
          A reinstalled host has a new certificate; an impostor would too. Compare it with
          'pvenode cert info' on the host's own console before you answer.
          Trust this certificate for this run?
        """
    }
}
