import Foundation
import Synchronization
import Testing

@testable import HomelabCore

/// `homelab plan --probe`: each instance's probe is asked, read-only, with its inputs resolved
/// as at run time (secrets read); what it says lands in the plan, secrets never do.
@Suite struct PlanProberTests {
    /// Answers by its `vm` input; counts runs, which a plan must never cause.
    final class Counter: Sendable {
        let value = Mutex(0)
    }

    struct Inspector: Action {
        let runs = Counter()
        var schema: ActionSchema {
            ActionSchema(
                name: "inspect", summary: "Probe only.",
                inputs: [
                    InputSpec("vm", .string, required: true, "What to look at."),
                    InputSpec("token", .string, "A secret."),
                    InputSpec("after", .string, "Something known at run time."),
                ], outputs: [OutputSpec("id", "An id.")], idempotent: true)
        }

        func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
            switch call.string("vm") {
            case "done": return .satisfied("vm exists as specified")
            case "drift": return .wouldChange("memory 4096 -> 8192 (will fix); disk 32G -> 64G (not fixed: destructive)")
            case "refused": throw ActionError("401 for token \(call.string("token") ?? "")")
            case "slow":
                try await Task.sleep(for: .seconds(3600))
                return .notSatisfied
            default: return .notSatisfied
            }
        }

        func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
            runs.value.withLock { $0 += 1 }
            return ["id": .string("x")]
        }
    }

    static let runbook = """
        runbook: probed
        secrets:
          token: { file: token.txt }
        steps:
          - id: done
            uses: inspect
            with: { vm: done, token: "${secrets.token}" }
          - id: drift
            uses: inspect
            with: { vm: drift }
          - id: refused
            uses: inspect
            with: { vm: refused, token: "${secrets.token}" }
          - id: fresh
            uses: inspect
            with: { vm: fresh }
          - id: later
            uses: inspect
            with: { vm: done, after: "${steps.fresh.outputs.id}" }
        """

    static func probed(_ text: String = runbook, timeout: Duration = .seconds(30)) async throws -> (Plan, Inspector) {
        let file = try TemporaryRunbook(text)
        try "tok-3f9a-secret".write(toFile: file.directory + "/token.txt", atomically: true, encoding: .utf8)
        let inspector = Inspector()
        var registry = ActionRegistry.builtin
        registry.register(inspector)
        let compiled = RunbookCompiler(registry: registry).compile(path: file.path)
        #expect(!compiled.diagnostics.hasErrors)
        let runbook = try #require(compiled.loaded)
        var plan = try #require(compiled.plan)
        plan.probes = await PlanProber(loaded: runbook, registry: registry, timeout: timeout).probe(plan)
        return (plan, inspector)
    }

    @Test func eachProbeSaysDoneWouldChangeFailedOrUnknownAndNothingRuns() async throws {
        let (plan, inspector) = try await Self.probed()
        #expect(plan.probes["done"] == ProbeFinding(.done, "vm exists as specified"))
        #expect(plan.probes["drift"]?.state == .pending)
        #expect(plan.probes["drift"]?.detail.contains("memory 4096 -> 8192") == true)
        #expect(plan.probes["fresh"] == ProbeFinding(.pending, "not done yet"))
        #expect(plan.probes["refused"]?.state == .failed)
        #expect(plan.probes["later"]?.state == .unknown)
        #expect(inspector.runs.value.withLock { $0 } == 0)
    }

    @Test func aSecretReadForAProbeNeverReachesThePlan() async throws {
        let (plan, _) = try await Self.probed()
        let refused = try #require(plan.probes["refused"])
        #expect(refused.detail.contains("<secret:token>"), "\(refused.detail)")
        let rendered = PlanTextRenderer.render(plan) + PlanJSONRenderer.render(plan)
        #expect(!rendered.contains("tok-3f9a-secret"))
    }

    @Test func theTextAndJSONShowWhatTheProbesFound() async throws {
        let (plan, _) = try await Self.probed()
        let text = PlanTextRenderer.render(plan)
        #expect(text.contains("already done: vm exists as specified"))
        #expect(text.contains("to do: memory 4096 -> 8192"))
        #expect(text.contains("read only for the probes"))
        #expect(text.contains("probed: 1 already done, 2 to change, 1 probes failed"))
        #expect(text.contains("Only read-only probes were run."))
        let json = PlanJSONRenderer.render(plan)
        #expect(json.contains("\"state\": \"pending\""))
        #expect(json.contains("\"state\": \"done\""))
    }

    @Test func aProbeThatHangsIsCutOffAtItsTimeout() async throws {
        let (plan, _) = try await Self.probed(
            """
            runbook: slow
            steps:
              - id: slow
                uses: inspect
                with: { vm: slow }
            """, timeout: .milliseconds(200))
        #expect(plan.probes["slow"]?.state == .failed)
        #expect(plan.probes["slow"]?.detail.hasPrefix("the probe took longer than") == true)
    }
}
