import Foundation
import HomelabCore
import LabSupport
import Testing

/// runbooks/examples/talos-cluster.yaml run by the real binary against a lab: three fresh VMs to
/// a healthy cluster; again with nothing sent that changes a node; killed between the etcd
/// upload and the Bootstrap of a recovery, then resumed; and never a secret of the bundle shown.
@Suite(.serialized) struct TalosClusterRunTests {
    @Test func threeFreshVMsBecomeAHealthyClusterAndASecondRunChangesNoNode() async throws {
        let lab = try await TalosLab.start()
        let workspace = try Workspace()
        var outputs: [String] = []

        let first = try CommandRunner.run(lab.clusterRun(state: workspace.state + "/1"), environment: lab.environment)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        outputs += [first.stdout, first.stderr]
        #expect(FileManager.default.fileExists(atPath: lab.path("kubeconfig")))
        let changes = try await lab.control.mutatingCalls()
        #expect(changes.filter { $0.method == "ApplyConfiguration" }.count == 3, "\(changes)")
        #expect(changes.filter { $0.method == "Bootstrap" }.count >= 1, "\(changes)")

        let second = try CommandRunner.run(lab.clusterRun(state: workspace.state + "/2", extra: ["--json"]), environment: lab.environment)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        outputs += [second.stdout, second.stderr]
        for step in ["talos-secrets", "apply-config[cp-1]", "apply-config[worker-1]", "apply-config[worker-2]", "bootstrap", "kubeconfig", "health"] {
            #expect(second.stdout.contains("\"step\":\"\(step)\"") && Self.satisfied(second.stdout, step), "\(step) was not found done: \(second.stdout)")
        }
        #expect(try await lab.control.mutatingCalls() == changes, "the second run sent calls that change a node")

        // No value of the bundle anywhere: terminal, JSON, journals, logs, plan, status, report.
        let plan = try CommandRunner.run(
            ["plan", "runbooks/examples/talos-cluster.yaml", "--inventory", lab.inventory, "--probe"] + Array(lab.clusterRun(state: "").suffix(8)),
            environment: lab.environment)
        outputs += [plan.stdout, plan.stderr]
        for state in [workspace.state + "/1", workspace.state + "/2"] {
            for id in (try? FileManager.default.contentsOfDirectory(atPath: state + "/runs")) ?? [] {
                for file in [StateDirectory.journalName, "run.log"] {
                    outputs.append((try? String(contentsOfFile: "\(state)/runs/\(id)/\(file)", encoding: .utf8)) ?? "")
                }
                for command in [["status", id], ["report", id]] {
                    let shown = try CommandRunner.run(command + ["--state-dir", state])
                    outputs += [shown.stdout, shown.stderr]
                }
            }
        }
        let secrets = lab.bundleSecrets()
        #expect(secrets.count >= 10, "the canaries were found in the bundle")
        for (index, output) in outputs.enumerated() {
            for secret in secrets where output.contains(secret) {
                Issue.record("output \(index) shows a value of the secrets bundle")
            }
        }
    }

    /// The JSON stream's event for `step` says it was found done.
    static func satisfied(_ stream: String, _ step: String) -> Bool {
        stream.split(separator: "\n").contains { $0.contains("\"step\":\"\(step)\"") && $0.contains("\"result\":\"satisfied\"") }
    }

    @Test func killedBetweenTheEtcdUploadAndTheBootstrapItResumesAndBootstrapsOnce() async throws {
        let lab = try await TalosLab.start()
        let workspace = try Workspace()
        let built = try CommandRunner.run(lab.clusterRun(state: workspace.state + "/build"), environment: lab.environment)
        try #require(built.status == 0, "\(built.stdout)\(built.stderr)")
        let etcd = try #require(try await lab.control.etcdClientURL("cp-1"))
        try await lab.control.etcdPut(etcd, "/homelab/crash/key", "kept")

        let talosconfig = lab.path("talosconfig")
        let snapshot = workspace.path + "/etcd.snapshot"
        try workspace.write(
            "drill.yaml",
            """
            runbook: drill
            params: { snapshot: { required: false }, recover: { default: false } }
            steps:
              - id: snapshot
                uses: talos.etcd-snapshot
                when: ${params.snapshot}
                with: { node: "${inventory.talos.nodes[0]}", talosconfig: "\(talosconfig)", path: "\(snapshot)" }
              - id: wipe
                uses: talos.reset
                destructive: true
                needs: [snapshot]
                when: ${params.snapshot}
                with: { node: "${inventory.talos.nodes[0]}", talosconfig: "\(talosconfig)", wipe: [EPHEMERAL] }
              - id: recover
                uses: talos.bootstrap
                when: ${params.recover}
                with: { node: "${inventory.talos.nodes[0]}", talosconfig: "\(talosconfig)", recover-from: "\(snapshot)", interval: 200ms }
            """)
        let drill = ["run", workspace.path + "/drill.yaml", "--inventory", lab.inventory, "--yes"]
        let saved = try CommandRunner.run(drill + ["--state-dir", workspace.state + "/save", "--param", "snapshot=yes"])
        try #require(saved.status == 0, "\(saved.stdout)\(saved.stderr)")
        #expect(await lab.control.eventually { try await lab.control.serviceState("cp-1", "etcd") == "Preparing" })

        // Bootstrap answers "not available yet" until the fault is cleared: the step has uploaded
        // the snapshot and retries Bootstrap when it is killed.
        try await lab.control.talosFault(["node": "cp-1", "method": "Bootstrap", "kind": "not-ready", "count": 100_000])
        let recovering = try RunningHomelab(
            drill + ["--state-dir", workspace.state + "/recover", "--param", "recover=true"], directory: CommandRunner.repository.path)
        let reachedBootstrap = await lab.control.eventually {
            let calls = try await lab.control.talosCalls()
            guard let upload = calls.lastIndex(where: { $0.method == "EtcdRecover" }) else { return false }
            return calls[upload...].contains { $0.method == "Bootstrap" }
        }
        recovering.signal(SIGKILL)
        #expect(recovering.wait() == 137)
        try #require(reachedBootstrap, "the run never reached Bootstrap: \(recovering.stdout)\(recovering.stderr)")

        try await lab.control.clearTalosFaults()
        let before = try await lab.control.talosCalls().count
        let resumed = try CommandRunner.run(["resume", "--state-dir", workspace.state + "/recover", "--yes"])
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        let after = try await lab.control.talosCalls().dropFirst(before)
        // The probe found etcd not running, so the step ran again: one more upload (the node
        // truncates the first), then exactly one Bootstrap.
        #expect(after.filter { $0.method == "EtcdRecover" }.count == 1, "\(Array(after))")
        #expect(after.filter { $0.method == "Bootstrap" }.count == 1, "\(Array(after))")
        #expect(resumed.stdout.contains("recover"), "\(resumed.stdout)")
        let recovered = try #require(try await lab.control.etcdClientURL("cp-1"))
        #expect(try await lab.control.etcdGet(recovered, "/homelab/crash/key") == "kept")
    }
}
