import HomelabCore

/// Every action a runbook can use: the engine's built-ins plus the integrations, each built with
/// the transports it is handed (live ones in the CLI, doubles in tests).
public enum ActionCatalog {
    public static func standard(_ integrations: Integrations) -> ActionRegistry {
        var registry = ActionRegistry.builtin
        registry.register(HTTPCheck(web: integrations.web))
        registry.register(SSHExec(shell: integrations.shell))
        registry.register(Notify(web: integrations.web))
        for action: any Action in [
            ProxmoxVersion(proxmox: integrations.proxmox), ProxmoxVM(proxmox: integrations.proxmox),
            ProxmoxStart(proxmox: integrations.proxmox), ProxmoxWaitIP(proxmox: integrations.proxmox),
            ProxmoxRestore(proxmox: integrations.proxmox), ProxmoxISO(proxmox: integrations.proxmox),
            ProxmoxDestroy(proxmox: integrations.proxmox),
        ] {
            registry.register(action)
        }
        return registry
    }
}
