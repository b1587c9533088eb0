import HomelabCore

/// Every action a runbook can use: the engine's built-ins plus each integration's, built on the
/// transports it is handed (live ones in the CLI, doubles in tests).
public enum ActionCatalog {
    /// Adding an integration adds one line here.
    public static var integrations: [any Integration.Type] {
        [
            WebIntegration.self, SSHIntegration.self, ProxmoxIntegration.self, TalosIntegration.self, AnsibleIntegration.self,
            ZFSIntegration.self,
        ]
    }

    public static func standard(_ integrations: Integrations) -> ActionRegistry {
        var registry = ActionRegistry.builtin
        for integration in Self.integrations {
            for action in integration.actions(in: integrations) { registry.register(action) }
        }
        return registry
    }
}
