import Foundation
import HomelabCore
import Testing

@testable import HomelabActions

/// Retries have one owner, the step's retry policy: the Proxmox client sends a mutating call once
/// per step attempt (it only re-reads the host's state after a lost answer), so a step with three
/// attempts sends a start at most three times, never three times three.
@Suite struct ProxmoxRetryOwnershipTests {
    /// A client on a scripted transport, whatever endpoint the step names.
    struct ScriptedConnector: ProxmoxConnecting {
        let client: ProxmoxClient
        func connect(_ endpoint: ProxmoxEndpoint, context: any ActionContext) async throws -> any ProxmoxAPI { client }
    }

    static let start = "POST /nodes/pve/qemu/100/status/start"

    static func run(attempts: Int, transport: ScriptedProxmoxTransport) async throws -> Executor.Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("retry-owner-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/runbook.yaml"
        try """
        runbook: t
        steps:
          - id: start
            uses: proxmox.start
            retry: { attempts: \(attempts), backoff: 10ms, max-backoff: 10ms }
            with: { proxmox: "https://pve.lab:8006/api2/json", node: pve, token: "root@pam!homelab=not-a-secret", vmid: 100, settle: 0s }
        """.write(toFile: file, atomically: true, encoding: .utf8)
        var registry = ActionRegistry.builtin
        registry.register(ProxmoxStart(proxmox: ScriptedConnector(client: ProxmoxSamples.client(transport))))
        let compiled = RunbookCompiler(registry: registry).compile(path: file, options: PlanOptions())
        let loaded = try #require(compiled.loaded, "\(DiagnosticRenderer.text(compiled.diagnostics))")
        let plan = try #require(compiled.plan, "\(DiagnosticRenderer.text(compiled.diagnostics))")
        let journal = try JournalWriter(path: directory + "/journal.jsonl", nextSequence: 1)
        let environment = RunEnvironment(registry: registry, journal: journal, approver: AssumeYes())
        return await Executor(plan: plan, loaded: loaded, environment: environment, options: RunOptions()).run()
    }

    static func stoppedVM() -> ScriptedProxmoxTransport {
        ScriptedProxmoxTransport()
            .on("GET /nodes/pve/qemu/100/config", .data(#"{"name":"cp-1","cores":2,"digest":"ab"}"#))
            .on("GET /nodes/pve/qemu/100/status/current", .data(#"{"status":"stopped","name":"cp-1"}"#))
            .on("GET /nodes/pve/tasks", .data("[]"))
    }

    @Test func aLostStartIsSentOncePerStepAttempt() async throws {
        let transport = Self.stoppedVM().on(Self.start, .failure(.connectionRefused))
        let result = try await Self.run(attempts: 3, transport: transport)
        #expect({ if case .failed = result.results["start"] { true } else { false } }(), "\(result.results)")
        #expect(transport.requests(Self.start).count == 3)
        // After each lost start the host's state was read before the step decided.
        #expect(transport.requests("GET /nodes/pve/tasks").count == 3)
    }

    @Test func aStepWithOneAttemptSendsItOnce() async throws {
        let transport = Self.stoppedVM().on(Self.start, .failure(.connectionRefused))
        _ = try await Self.run(attempts: 1, transport: transport)
        #expect(transport.requests(Self.start).count == 1)
    }
}
