/// The error for a certificate nobody trusted: both fingerprints, why it happens after a
/// reinstall, how to check it on the host, and how to go on.
enum ProxmoxCertificateRefusal {
    static func error(url: String, presented: String, expected: String?) -> ProxmoxError {
        let pinned = expected.map { "the inventory pins \($0) (proxmox.fingerprint)" }
            ?? "the inventory pins no fingerprint yet (proxmox.fingerprint)"
        let message = "\(url) presents a certificate with SHA-256 fingerprint \(presented), but \(pinned). "
            + "Nothing was sent to it."
        let hint = "A reinstalled Proxmox host gets a new self-signed certificate, so a rebuild changes the fingerprint; "
            + "anything else may be an impostor. Check it on the host: `pvenode cert info` on its console, or "
            + "`openssl x509 -noout -fingerprint -sha256 -in /etc/pve/local/pve-ssl.pem`. If it matches, run again with "
            + "`--trust-fingerprint \(presented)`, or set `proxmox.fingerprint: \(presented)` in the inventory."
        return ProxmoxError(.untrustedCertificate(presented: presented, expected: expected), call: "connect \(url)",
                            message: message, hint: hint)
    }
}
