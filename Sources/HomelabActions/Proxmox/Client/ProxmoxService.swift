extension TrustedService {
    /// How the Proxmox API's certificate is named and checked (pvenode on the host's console).
    public static let proxmoxAPI = TrustedService(
        name: "Proxmox API",
        pinSetting: "proxmox.fingerprint",
        addressSetting: "proxmox.api",
        addressExample: "https://<host>:8006/api2/json",
        whyItChanges: "A reinstalled Proxmox host gets a new self-signed certificate, so a rebuild changes the fingerprint",
        checkCommand: "pvenode cert info",
        howToCheck: "Check it on the host: `pvenode cert info` on its console, or "
            + "`openssl x509 -noout -fingerprint -sha256 -in /etc/pve/local/pve-ssl.pem`.",
        unreachableHint: "Check proxmox.api in the inventory and that the host is up with pveproxy running (`systemctl status pveproxy`)."
    )
}
