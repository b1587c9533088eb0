extension ProxmoxError {
    /// A certificate the connector would not trust, or a host it could not probe, as a Proxmox
    /// error of the `connect` call: the kit's wording, Proxmox's kinds.
    init(_ error: CertificateTrustError) {
        let kind: Kind =
            switch error.problem {
            case .refused(let presented, let expected): .untrustedCertificate(presented: presented, expected: expected)
            default: error.isTransient ? .transient : .fatal
            }
        self.init(kind, call: "connect \(error.url)", message: error.message, hint: error.hint)
    }
}
