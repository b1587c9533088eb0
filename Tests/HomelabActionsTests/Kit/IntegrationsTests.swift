import HomelabCore
import Testing

@testable import HomelabActions

/// Integrations are keyed by their type: injected transports win, nothing injected refuses, and
/// the catalog takes each integration's actions from its one function.
struct IntegrationsTests {
    @Test func anInjectedTransportIsTheOneActionsGet() async throws {
        let web = ScriptedWeb([.response(WebResponse(status: 200, body: Array("ok".utf8)))])
        let integrations = Integrations().with(WebIntegration.self, web)
        _ = try await integrations[WebIntegration.self].fetch(WebRequest(url: "https://x"))
        #expect(web.requests.count == 1)
    }

    @Test func withNothingInjectedEveryTransportRefuses() async {
        let integrations = Integrations()
        await #expect(throws: ActionError.self) { try await integrations[WebIntegration.self].fetch(WebRequest(url: "https://x")) }
        await #expect(throws: ActionError.self) {
            try await integrations[SSHIntegration.self].run(RemoteCommand(command: "true"), on: SSHTarget(address: "h"))
        }
        await #expect(throws: ProxmoxError.self) {
            try await integrations[ProxmoxIntegration.self].connect(ProxmoxEndpoint(url: "https://pve", node: "pve", token: "t"), context: RecordingContext())
        }
        await #expect(throws: TalosError.self) {
            try await integrations[TalosIntegration.self].connect(TalosTarget(endpoint: "10.0.0.1", mode: .maintenance(pin: nil)), context: RecordingContext())
        }
    }

    @Test func liveIntegrationsMakeLiveTransports() {
        let live = Integrations.live()
        #expect(live[WebIntegration.self] is LiveWebClient)
        #expect(live[SSHIntegration.self] is LiveRemoteShell)
        #expect(live[ProxmoxIntegration.self] is LiveProxmoxConnector)
        // An injected double still wins over the live one.
        #expect(live.with(ProxmoxIntegration.self, NoProxmox())[ProxmoxIntegration.self] is NoProxmox)
        #expect(live[TalosIntegration.self] is LiveTalosConnector)
        #expect(live.with(TalosIntegration.self, NoTalos())[TalosIntegration.self] is NoTalos)
    }

    @Test func theCatalogHasEveryIntegrationsActions() {
        let names = ActionCatalog.standard(Integrations()).names
        for integration in ActionCatalog.integrations {
            for action in integration.actions(in: Integrations()) { #expect(names.contains(action.schema.name)) }
        }
        #expect(ProxmoxIntegration.actions(NoProxmox()).count == 7)
        #expect(
            TalosIntegration.actions(NoTalos()).map(\.schema.name) == [
                "talos.secrets", "talos.apply-config", "talos.bootstrap", "talos.etcd-snapshot", "talos.kubeconfig", "talos.health", "talos.version",
                "talos.reset",
            ])
    }
}
