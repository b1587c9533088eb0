extension TrustedService {
    /// A Talos node in maintenance mode: its certificate comes from a CA it makes at each boot, so
    /// the only check is the public-key fingerprint its console prints.
    public static let talosMaintenance = TrustedService(
        name: "Talos maintenance API",
        pinSetting: "the node's fingerprint",
        addressSetting: "the node's address",
        addressExample: "its IP address (apid listens on port 50000)",
        whyItChanges: "A Talos node in maintenance mode makes a new certificate at every boot, so its fingerprint changes whenever it restarts",
        checkCommand: "the fingerprint in the 'server certificate issued' line",
        howToCheck: "Check it on the node's console: Talos prints `server certificate issued` with the fingerprint, and the same value in "
            + "its `talosctl apply-config --insecure ... --cert-fingerprint '...'` hint.",
        unreachableHint: "Check the node's address and that it booted the Talos ISO (its console shows maintenance mode); apid listens on port 50000."
    )
}
