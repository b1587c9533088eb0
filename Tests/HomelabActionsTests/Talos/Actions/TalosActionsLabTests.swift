import Foundation
import HomelabActions
import HomelabCore
import LabSupport
import Testing

/// The Talos actions through the live client against the lab's Talos nodes (grpclib apids in
/// maintenance and mutual TLS, a real etcd behind the control plane).
@Suite(.serialized) struct TalosActionsLabTests {
    @Test func threeNodesGoFromMaintenanceModeToAHealthyClusterAndEveryStepAgainIsANoOp() async throws {
        let lab = try await TalosActionsLab()
        let talos = lab.talos
        let context = lab.context

        let secrets = try await TalosSecrets().run(lab.call(["create": .bool(true), "endpoints": .list([lab.controlPlane])]), context: context)
        #expect(secrets["created"] == .bool(true))
        #expect(try TalosTestFiles.mode(lab.path("secrets.yaml")) == 0o600)
        #expect(try TalosTestFiles.mode(lab.path("talosconfig")) == 0o600)

        for node in lab.nodes {
            let applied = try await TalosApplyConfig(talos: talos).run(lab.call(["node": node]), context: context)
            #expect(applied["applied"] == .bool(true), "\(node)")
            #expect(applied["version"] == lab.inventory["talos"]?["version"])
        }
        let bootstrap = try await TalosBootstrap(talos: talos).run(lab.call(["node": lab.controlPlane]), context: context)
        #expect(bootstrap["bootstrapped"] == .bool(true))
        #expect(bootstrap["members"] == .list([.string("cp-1")]))

        let kubeconfig = try await TalosKubeconfig(talos: talos).run(
            lab.call(["node": lab.controlPlane, "path": .string(lab.path("kubeconfig"))]), context: context)
        #expect(kubeconfig["path"] == .string(lab.path("kubeconfig")))
        #expect(try TalosTestFiles.mode(lab.path("kubeconfig")) == 0o600)
        let text = try String(contentsOfFile: lab.path("kubeconfig"), encoding: .utf8)
        #expect(text.contains("server: https://127.0.20.1:6443"), "\(text.prefix(300))")

        let health = try await TalosHealth(talos: talos).run(lab.call(["node": lab.controlPlane, "timeout": .string("2m")]), context: context)
        guard case .list(let checks)? = health["checks"] else {
            Issue.record("no checks: \(health)")
            return
        }
        #expect(checks.contains(.string("waiting for etcd to be healthy: OK")), "\(checks)")

        // Again: every probe finds its work done, and running the steps sends nothing that
        // changes a node.
        let before = try await lab.control.mutatingCalls()
        #expect(before.filter { $0.method == "Bootstrap" }.count == 1)
        #expect(before.filter { $0.method == "ApplyConfiguration" }.count == 3)
        let steps: [(any Action, ActionCall)] =
            [(TalosSecrets(), lab.call(["endpoints": .list([lab.controlPlane])]))]
            + lab.nodes.map { (TalosApplyConfig(talos: talos), lab.call(["node": $0])) }
            + [
                (TalosBootstrap(talos: talos), lab.call(["node": lab.controlPlane])),
                (TalosKubeconfig(talos: talos), lab.call(["node": lab.controlPlane, "path": .string(lab.path("kubeconfig"))])),
                (TalosHealth(talos: talos), lab.call(["node": lab.controlPlane])),
            ]
        for (action, call) in steps {
            let probe = try await action.probe(call, context: context)
            guard case .satisfied = probe else {
                Issue.record("\(action.schema.name) is not satisfied on a second look: \(probe)")
                continue
            }
        }
        for node in lab.nodes {
            #expect(try await TalosApplyConfig(talos: talos).run(lab.call(["node": node]), context: context)["applied"] == .bool(false))
        }
        #expect(try await TalosBootstrap(talos: talos).run(lab.call(["node": lab.controlPlane]), context: context)["bootstrapped"] == .bool(false))
        #expect(try await lab.control.mutatingCalls() == before)
    }

    @Test func keysWrittenBeforeASnapshotAreThereAfterARecovery() async throws {
        let lab = try await TalosActionsLab()
        try await lab.bringUp()
        let talos = lab.talos
        let context = lab.context
        let etcd = try #require(try await lab.control.etcdClientURL("cp-1"))
        for index in 1...3 { try await lab.control.etcdPut(etcd, "/homelab/drill/key-\(index)", "value-\(index)") }

        let snapshotPath = lab.path("etcd.snapshot")
        let snapshot = try await TalosEtcdSnapshot(talos: talos).run(lab.call(["node": lab.controlPlane, "path": .string(snapshotPath)]), context: context)
        let size = Int(try #require(snapshot["size"]?.text))
        #expect(size.map { $0 % 512 == 32 } == true, "\(snapshot)")
        #expect(!FileManager.default.fileExists(atPath: snapshotPath + ".part"))
        #expect(try TalosTestFiles.mode(snapshotPath) == 0o600)

        // The node loses etcd's data (EPHEMERAL wiped; its config stays), and waits for a bootstrap.
        _ = try await TalosReset(talos: talos).run(lab.call(["node": lab.controlPlane, "wipe": .list([.string("EPHEMERAL")])]), context: context)
        #expect(await lab.control.eventually { try await lab.control.serviceState("cp-1", "etcd") == "Preparing" })

        let recovered = try await TalosBootstrap(talos: talos).run(
            lab.call(["node": lab.controlPlane, "recover-from": .string(snapshotPath)]), context: context)
        #expect(recovered["recovered"] == .bool(true))
        let after = try #require(try await lab.control.etcdClientURL("cp-1"))
        for index in 1...3 {
            #expect(try await lab.control.etcdGet(after, "/homelab/drill/key-\(index)") == "value-\(index)")
        }
        #expect(try await lab.control.mutatingCalls().filter { $0.method == "EtcdRecover" }.count == 1)
    }

    @Test func aTruncatedOrCorruptedSnapshotIsRefusedBeforeAnythingIsSent() async throws {
        let lab = try await TalosActionsLab()
        try await lab.bringUp()
        let snapshotPath = lab.path("etcd.snapshot")
        _ = try await TalosEtcdSnapshot(talos: lab.talos).run(lab.call(["node": lab.controlPlane, "path": .string(snapshotPath)]), context: lab.context)
        let whole = try Data(contentsOf: URL(fileURLWithPath: snapshotPath))
        var corrupted = whole
        corrupted[whole.count / 2] ^= 0xFF
        try whole.prefix(whole.count - 100).write(to: URL(fileURLWithPath: lab.path("truncated.snapshot")))
        try corrupted.write(to: URL(fileURLWithPath: lab.path("corrupted.snapshot")))

        let before = try await lab.control.talosCalls().count
        for (file, words) in [("truncated.snapshot", "cut short"), ("corrupted.snapshot", "corrupted")] {
            let failure = await ActionFailure.of {
                _ = try await TalosBootstrap(talos: lab.talos).run(
                    lab.call(["node": lab.controlPlane, "recover-from": .string(lab.path(file))]), context: lab.context)
            }
            #expect(failure?.message.contains(words) == true, "\(String(describing: failure))")
            #expect(failure?.retryable == false)
        }
        #expect(try await lab.control.talosCalls().count == before, "nothing reached a node")
    }
}
