import Foundation
import Synchronization
import Testing

@testable import HomelabCore

/// One `InputResolver` for the plan, `plan --probe` and the run: the same `with:` gives the same
/// values in all three, null means "not given", and defaults come from the schema.
@Suite struct InputResolverTests {
    /// Records the inputs of every probe and run it is called with.
    final class Recorder: Action, Sendable {
        let calls = Mutex<[[String: Value]]>([])

        var schema: ActionSchema {
            ActionSchema(
                name: "record", summary: "Records its inputs.",
                inputs: [
                    InputSpec("literal", .string, "Written as it is."),
                    InputSpec("nothing", .string, default: .string("from-schema"), "Written as null: the default applies."),
                    InputSpec("unset", .duration, default: .string("5m"), "Not written: the default applies."),
                    InputSpec("mac", .string, "From the inventory."),
                    InputSpec("size", .integer, "A param."),
                    InputSpec("text", .string, "Interpolated."),
                    InputSpec("token", .string, "A secret."),
                ], idempotent: true)
        }

        func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
            calls.withLock { $0.append(call.inputs) }
            return .notSatisfied
        }

        func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
            calls.withLock { $0.append(call.inputs) }
            return [:]
        }
    }

    static let runbook = """
        runbook: resolved
        inventory: inventory.yaml
        params:
          size: 3
        secrets:
          token: { file: token.txt }
        steps:
          - id: record
            uses: record
            with:
              literal: plain
              nothing: null
              mac: ${inventory.vm.mac}
              size: ${params.size}
              text: "size ${params.size} on ${inventory.vm.name}"
              token: ${secrets.token}
        """

    @Test func theSameInputGivesTheSameValueInThePlanTheProbeAndTheRun() async throws {
        let file = try TemporaryRunbook(Self.runbook, inventory: "vm: { name: cp-1, mac: 'BC:24:11:00:02:01' }\n")
        try "tok-5e1f-secret".write(toFile: file.directory + "/token.txt", atomically: true, encoding: .utf8)
        let recorder = Recorder()
        var registry = ActionRegistry.builtin
        registry.register(recorder)
        let compiled = RunbookCompiler(registry: registry).compile(path: file.path)
        #expect(compiled.diagnostics.isEmpty, "\(compiled.diagnostics.sorted)")
        let runbook = try #require(compiled.loaded)
        let plan = try #require(compiled.plan)

        let expected: [String: Value] = [
            "literal": .string("plain"), "nothing": .string("from-schema"), "unset": .string("5m"),
            "mac": .string("BC:24:11:00:02:01"), "size": .int(3), "text": .string("size 3 on cp-1"),
        ]
        // The plan: the same values, and the secret as a placeholder it never reads.
        let planned = Dictionary(uniqueKeysWithValues: plan.steps[0].inputs.map { ($0.0, $0.1) })
        #expect(planned["token"] == .secret("<secret:token>"))
        #expect(planned.filter { $0.key != "token" }.mapValues(\.value) == expected.mapValues { Optional($0) })

        // The probe of `plan --probe`, then the run's probe and its run.
        _ = await PlanProber(loaded: runbook, registry: registry).probe(plan)
        let journal = try JournalWriter(path: file.directory + "/journal.jsonl", nextSequence: 1)
        let environment = RunEnvironment(registry: registry, clock: VirtualClock(), journal: journal, observer: NoObserver(), approver: AssumeYes())
        let result = await Executor(plan: plan, loaded: runbook, environment: environment, options: RunOptions()).run()
        #expect(result.outcome == .succeeded)

        var withSecret = expected
        withSecret["token"] = .string("tok-5e1f-secret")
        let calls = recorder.calls.withLock { $0 }
        #expect(calls.count == 3)
        for call in calls { #expect(call == withSecret) }
    }

    @Test func aRequiredInputThatIsNullIsAMistakeAtPlanTimeAndAtRunTime() throws {
        var evaluator = Evaluator(scope: Scope())
        let file = try TemporaryRunbook(
            """
            runbook: nulls
            steps:
              - id: wait
                uses: wait
                with: { duration: null }
            """)
        let (_, messages) = file.plan()
        #expect(messages.contains { $0.hasPrefix("5:23:") && $0.contains("input 'duration' of step 'wait' is required, but its value is null") }, "\(messages)")

        let step = try #require(RunbookCompiler().compile(path: file.path).loaded?.runbook.steps.first)
        let resolver = InputResolver(step, schema: ActionRegistry.builtin["wait"]?.schema, evaluator: &evaluator)
        #expect(throws: ActionError.self) { try resolver.values(diagnostics: evaluator.diagnostics) }
    }
}
