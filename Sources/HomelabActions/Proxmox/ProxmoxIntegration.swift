import HomelabCore

/// The Proxmox VE integration: its REST API over libcurl, and the `proxmox.*` actions.
public enum ProxmoxIntegration: Integration {
    public static func live(_ settings: LiveSettings) -> any ProxmoxConnecting {
        LiveProxmoxConnector(trust: settings.trust)
    }

    public static var unavailable: any ProxmoxConnecting { NoProxmox() }

    public static func actions(_ proxmox: any ProxmoxConnecting) -> [any Action] {
        [
            ProxmoxVersion(proxmox: proxmox), ProxmoxVM(proxmox: proxmox), ProxmoxStart(proxmox: proxmox),
            ProxmoxWaitIP(proxmox: proxmox), ProxmoxRestore(proxmox: proxmox), ProxmoxISO(proxmox: proxmox),
            ProxmoxDestroy(proxmox: proxmox),
        ]
    }
}
