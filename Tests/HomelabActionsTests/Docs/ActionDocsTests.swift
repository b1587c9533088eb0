import Foundation
import HomelabActions
import HomelabCore
import Testing

/// docs/runbooks.md lists every action a runbook can use, generated from their schemas.
struct ActionDocsTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/runbooks.md").path

    @Test func embedsTheGeneratedActionReference() throws {
        let text = try String(contentsOfFile: Self.docs, encoding: .utf8)
        let registry = ActionCatalog.standard(Integrations().with(WebIntegration.self, ScriptedWeb([.failure(TransportDown())])))
        #expect(
            text.contains(ActionReferenceRenderer.block(registry)),
            "docs/runbooks.md is stale: replace its generated block with the output of 'homelab actions --markdown'")
    }

    @Test func theCatalogHasTheIntegrations() {
        let registry = ActionCatalog.standard(.live())
        #expect(
            registry.names == [
                "ansible.playbook", "approval", "exec", "fail", "http.check", "manifests.validate", "notify", "proxmox.destroy", "proxmox.iso",
                "proxmox.restore", "proxmox.start",
                "proxmox.version",
                "proxmox.vm", "proxmox.wait-ip", "ssh.exec", "talos.apply-config", "talos.bootstrap", "talos.etcd-snapshot", "talos.health",
                "talos.kubeconfig", "talos.reset", "talos.secrets", "talos.version", "wait", "zfs.datasets", "zfs.pool", "zfs.prune", "zfs.replicate",
                "zfs.restore", "zfs.snapshot", "zfs.upload",
            ])
    }
}
