import HomelabActions
import HomelabCore

/// The actions the CLI offers: the engine's built-ins plus the integrations, on live transports.
enum HomelabRegistry {
    /// `trust` decides about Proxmox certificates that are not the pinned one; the default
    /// trusts nothing new (plan, validate and the docs never connect).
    static func make(trust: FingerprintTrust = FingerprintTrust()) -> ActionRegistry {
        ActionCatalog.standard(.live(trust: trust))
    }
}
