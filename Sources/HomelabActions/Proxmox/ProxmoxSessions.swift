import HomelabCore

/// How a Proxmox action opens its session: the connector (live or a double) for the step's
/// endpoint, and ProxmoxFailure for what goes wrong, connecting included.
struct ProxmoxSessions: IntegrationSessions {
    let connector: any ProxmoxConnecting

    func open(_ inputs: ProxmoxInputs, context: any ActionContext) async throws -> ProxmoxSession {
        ProxmoxSession(api: try await connector.connect(inputs.endpoint, context: context), context: context, endpoint: inputs.endpoint)
    }

    func failure(_ error: any Error, target inputs: ProxmoxInputs) -> any Error {
        ProxmoxFailure.mapped(error, endpoint: inputs.endpoint)
    }
}
