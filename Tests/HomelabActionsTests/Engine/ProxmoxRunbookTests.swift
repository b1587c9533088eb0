import Foundation
import HomelabActions
import HomelabCore
import LabSupport
import Testing

/// The example runbook (runbooks/examples/talos-vms.yaml) end to end through the engine, on the
/// live Proxmox client, against the lab's Proxmox double: what `make lab-up` + `homelab run`
/// does by hand, plus the crash the journal exists for.
@Suite(.serialized) struct ProxmoxRunbookTests {
    /// The example runbook, reading this lab's inventory and its token file.
    static func runbook(in lab: ProxmoxClientLab) throws -> String {
        let example = LabFixture.repositoryRoot.appendingPathComponent("runbooks/examples/talos-vms.yaml").path
        var text = try String(contentsOfFile: example, encoding: .utf8)
        text = text.replacingOccurrences(of: "inventory: ../../inventory.yaml", with: "inventory: \(lab.inventoryPath)")
        let secret = try #require(text.range(of: "proxmox-token: { env: PROXMOX_TOKEN"))
        text.replaceSubrange(secret, with: "proxmox-token: { file: \(lab.tokenFile)")
        let file = lab.out.appendingPathComponent("talos-vms.yaml").path
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    static func state(_ lab: ProxmoxClientLab) -> StateDirectory {
        StateDirectory(path: lab.out.appendingPathComponent("state").path)
    }

    static func vms(_ lab: ProxmoxClientLab) async throws -> [[String: Any]] {
        (try await lab.get("/state") as? [String: Any])?["vms"] as? [[String: Any]] ?? []
    }

    static func changes(_ lab: ProxmoxClientLab) async throws -> Int {
        try await lab.requests().filter { $0.method != "GET" }.count
    }

    static func environment(_ registry: ActionRegistry, _ collector: RecordingObserver) -> RunSession.EnvironmentMaker {
        { journal in RunEnvironment(registry: registry, journal: journal, observer: collector, approver: AssumeYes()) }
    }

    static func results(_ updates: [RunUpdate]) -> [String: StepResult] {
        var results: [String: StepResult] = [:]
        for case .stepFinished(let step, let result, _) in updates { results[step] = result }
        return results
    }

    @Test func theExampleCreatesStartsAndFindsEveryNodeThenFindsItAllInPlace() async throws {
        let lab = try await ProxmoxClientLab.start()
        try await lab.post("/settings", ["auth_failure_delay": 0, "agent_delay": 0.5])
        let file = try Self.runbook(in: lab)
        let registry = ActionCatalog.standard(.live())
        let state = Self.state(lab)

        let first = RecordingObserver()
        let run = try await RunSession.start(
            RunSession.Request(runbook: file, state: state, registry: registry),
            control: RunControl(), environment: Self.environment(registry, first))
        #expect(run.result.outcome == .succeeded, "\(first.updates)")
        let listed = try await Self.vms(lab)
        for vmid in [201, 211, 212] {
            let vm = try #require(listed.first { "\($0["vmid"] ?? "")" == "\(vmid)" }, "VM \(vmid) missing: \(listed)")
            #expect("\(vm["status"] ?? "")" == "running")
            #expect(try await lab.creates(of: vmid) == 1)
        }
        // The addresses the guest agents reported, filtered to the LAN, are journaled outputs.
        let journal = try String(contentsOfFile: run.journal, encoding: .utf8)
        for address in ["127.0.10.21", "127.0.10.31", "127.0.10.32"] {
            #expect(journal.contains("\"\(address)\""), "no output \(address) in the journal")
        }
        #expect(!journal.contains("10.244.0.1"), "an address outside the LAN was taken")
        let token = try String(contentsOfFile: lab.tokenFile, encoding: .utf8)
        #expect(!journal.contains(token.split(separator: "=").last.map(String.init) ?? token), "the token's secret reached the journal")

        // The second run changes nothing: the VMs exist as specified and run.
        let before = try await Self.changes(lab)
        let second = RecordingObserver()
        let again = try await RunSession.start(
            RunSession.Request(runbook: file, state: state, registry: registry),
            control: RunControl(), environment: Self.environment(registry, second))
        #expect(again.result.outcome == .succeeded)
        let results = Self.results(second.updates)
        for name in ["cp-1", "worker-1", "worker-2"] {
            #expect({ if case .satisfied = results["node-vm[\(name)]"] { true } else { false } }(), "\(results)")
            #expect({ if case .satisfied = results["node-start[\(name)]"] { true } else { false } }(), "\(results)")
        }
        let after = try await Self.changes(lab)
        #expect(after == before, "the second run changed something")
    }

    @Test func aRunKilledBetweenDispatchAndPollResumesOnTheRunningTaskInsteadOfCreatingTwice() async throws {
        let lab = try await ProxmoxClientLab.start()
        try await lab.post("/settings", ["auth_failure_delay": 0, "agent_delay": 0.2])
        try await lab.post("/tasks/hold", ["type": "qmcreate", "vmid": 201])
        let file = try Self.runbook(in: lab)
        let registry = ActionCatalog.standard(.live())
        let state = Self.state(lab)

        // The create of VM 201 is dispatched and its task held running; the run is stopped
        // while it waits on the task, as a Ctrl-C or a dying laptop would.
        let control = RunControl()
        let first = Task {
            try await RunSession.start(
                RunSession.Request(runbook: file, state: state, registry: registry),
                control: control, environment: Self.environment(registry, RecordingObserver()))
        }
        let clock = ContinuousClock()
        let giveUp = clock.now.advanced(by: .seconds(60))
        while try await lab.creates(of: 201) == 0, clock.now < giveUp { try await Task.sleep(for: .milliseconds(200)) }
        #expect(try await lab.creates(of: 201) == 1)
        control.requestStop(.other("test: stopped between dispatch and poll"))
        first.cancel()
        let stopped = try await first.value
        #expect(stopped.result.outcome != .succeeded)

        // On resume the VM is still locked by its create task: the step finds that task and
        // waits for it (released now) instead of creating the VM again.
        try await lab.post("/tasks/release")
        let resumed = try await RunSession.resume(
            RunSession.Resume(state: state, registry: registry), control: RunControl(),
            environment: Self.environment(registry, RecordingObserver()))
        #expect(resumed.result.outcome == .succeeded)
        #expect(try await lab.creates(of: 201) == 1, "VM 201 was created twice")
    }

    @Test func thePlanProbeShowsWhatIsDoneAndTheDriftARunWouldFix() async throws {
        let lab = try await ProxmoxClientLab.start()
        try await lab.post("/settings", ["auth_failure_delay": 0, "agent_delay": 0.2])
        let file = try Self.runbook(in: lab)
        let registry = ActionCatalog.standard(.live())
        let run = try await RunSession.start(
            RunSession.Request(runbook: file, state: Self.state(lab), registry: registry),
            control: RunControl(), environment: Self.environment(registry, RecordingObserver()))
        #expect(run.result.outcome == .succeeded)

        // The inventory now asks for more memory for cp-1 and a bigger disk: the first can be
        // changed in place, the second is reported and left alone.
        var inventory = try String(contentsOfFile: lab.inventoryPath, encoding: .utf8)
        let before = inventory
        inventory = inventory.replacingOccurrences(of: "memory: 8192", with: "memory: 12288")
        inventory = inventory.replacingOccurrences(of: "disk: 64G", with: "disk: 96G")
        #expect(inventory != before, "the lab's inventory does not have cp-1's spec as expected")
        try inventory.write(toFile: lab.inventoryPath, atomically: true, encoding: .utf8)

        let compiled = RunbookCompiler(registry: registry).compile(path: file)
        #expect(!compiled.diagnostics.hasErrors, "\(compiled.diagnostics)")
        let findings = await PlanProber(loaded: try #require(compiled.loaded), registry: registry).probe(try #require(compiled.plan))
        let cp1 = try #require(findings["node-vm[cp-1]"])
        #expect(cp1.state == .pending)
        #expect(cp1.detail.contains("memory"), "\(cp1.detail)")
        #expect(cp1.detail.contains("12288"), "\(cp1.detail)")
        #expect(cp1.detail.contains("disk") || cp1.detail.contains("scsi0"), "\(cp1.detail)")
        #expect(findings["node-vm[worker-1]"]?.state == .done)
        #expect(findings["node-start[cp-1]"]?.state == .done)
        let token = try String(contentsOfFile: lab.tokenFile, encoding: .utf8)
        #expect(!findings.values.contains { $0.detail.contains(token) })
    }

    @Test func theGamingVMsComeFromTheInventoryWithFirmwareTPMAndTheGPUMapping() async throws {
        let lab = try await ProxmoxClientLab.start()
        let file = lab.out.appendingPathComponent("gaming.yaml").path
        try """
        runbook: gaming
        inventory: \(lab.inventoryPath)
        secrets:
          proxmox-token: { file: \(lab.tokenFile) }
        steps:
          - id: vm
            uses: proxmox.vm
            for-each: ${inventory.gaming}
            with: { proxmox: "${inventory.proxmox}", token: "${secrets.proxmox-token}", vm: "${item}" }
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let registry = ActionCatalog.standard(.live())
        let collector = RecordingObserver()
        let run = try await RunSession.start(
            RunSession.Request(runbook: file, state: Self.state(lab), registry: registry),
            control: RunControl(), environment: Self.environment(registry, collector))
        #expect(run.result.outcome == .succeeded, "\(collector.updates)")
        let vms = try await Self.vms(lab)
        let windows = try #require(vms.first { "\($0["vmid"] ?? "")" == "301" }?["config"] as? [String: Any])
        #expect("\(windows["machine"] ?? "")".contains("q35"))
        #expect("\(windows["bios"] ?? "")" == "ovmf")
        #expect("\(windows["hostpci0"] ?? "")".contains("mapping=amd-igpu"))
        #expect("\(windows["efidisk0"] ?? "")".contains("pre-enrolled-keys=1"), "secure boot: \(windows)")
        #expect("\(windows["tpmstate0"] ?? "")".contains("version=v2.0"))
        #expect("\(windows["ostype"] ?? "")" == "win11")
        let steamos = try #require(vms.first { "\($0["vmid"] ?? "")" == "302" }?["config"] as? [String: Any])
        #expect("\(steamos["efidisk0"] ?? "")".contains("pre-enrolled-keys=0"))
        #expect(steamos["tpmstate0"] == nil)
    }
}
