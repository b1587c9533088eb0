import Foundation
import Synchronization

@testable import HomelabCore

/// An action whose behaviour each test scripts per step and attempt, and which records what
/// happened: start order, overlap, attempts. Runs on the test's clock.
final class Script: Sendable {
    enum Behaviour: Sendable {
        case succeed([String: Value])
        case fail(retryable: Bool)
        /// Takes this long (on the run's clock), then succeeds.
        case take(Duration)
        /// Never ends by itself: only cancellation or a timeout stops it.
        case hang
        /// Runs (in real time) until `condition` holds, then succeeds; gives up after `limit`, so
        /// an engine that never lets the condition come true fails the test's checks, not hangs.
        /// Tests of overlap use it instead of durations, which a loaded machine stretches.
        case holdUntil(@Sendable (Script) -> Bool, limit: Duration = .seconds(20))
    }

    private let state = Mutex<
        (plans: [String: [Behaviour]], started: [String], events: [String], running: Int, maxRunning: Int, runningSerial: [String: Int], serialOverlap: Bool)
    >(([:], [], [], 0, 0, [:], false))

    /// What the step's probe answers, call after call (the last answer repeats); none: not satisfied.
    enum ProbeAnswer: Sendable {
        case satisfied
        case notSatisfied
        case fail(retryable: Bool)
    }

    private let probes = Mutex<[String: [ProbeAnswer]]>([:])
    private let probeCalls = Mutex<[String: Int]>([:])

    func probing(_ step: String, _ answers: ProbeAnswer...) {
        probes.withLock { $0[step] = answers }
    }

    func probeCount(_ step: String) -> Int { probeCalls.withLock { $0[step] ?? 0 } }

    func probeAnswer(_ step: String) -> ProbeAnswer {
        let call = probeCalls.withLock { calls -> Int in
            calls[step, default: 0] += 1
            return calls[step]!
        }
        return probes.withLock { answers in
            guard let list = answers[step], !list.isEmpty else { return .notSatisfied }
            return list[min(call, list.count) - 1]
        }
    }

    func on(_ step: String, _ behaviours: Behaviour...) {
        state.withLock { $0.plans[step] = behaviours }
    }

    var started: [String] { state.withLock { $0.started } }
    /// `start:x` and `end:x`, in the order they happened.
    var events: [String] { state.withLock { $0.events } }
    var maxRunning: Int { state.withLock { $0.maxRunning } }
    var serialOverlap: Bool { state.withLock { $0.serialOverlap } }

    func behaviour(_ step: String, attempt: Int) -> Behaviour {
        state.withLock { state in
            let plan = state.plans[step] ?? []
            return plan.isEmpty ? .succeed([:]) : plan[min(attempt, plan.count) - 1]
        }
    }

    func begin(_ step: String, serial: String?) {
        state.withLock {
            $0.started.append(step)
            $0.events.append("start:" + step)
            $0.running += 1
            $0.maxRunning = max($0.maxRunning, $0.running)
            if let serial {
                $0.runningSerial[serial, default: 0] += 1
                if $0.runningSerial[serial]! > 1 { $0.serialOverlap = true }
            }
        }
    }

    func end(_ step: String, serial: String?) {
        state.withLock {
            $0.events.append("end:" + step)
            $0.running -= 1
            if let serial { $0.runningSerial[serial, default: 1] -= 1 }
        }
    }
}

struct ScriptedAction: Action {
    let script: Script
    let idempotent: Bool

    var schema: ActionSchema {
        ActionSchema(
            name: idempotent ? "script" : "script-once", summary: "Scripted for tests.",
            inputs: [InputSpec("serial", .string, "Serial group, recorded for overlap checks."), InputSpec("value", .any, "Echoed as output 'value'.")],
            outputs: [OutputSpec("value", "The input 'value'."), OutputSpec("attempt", "The attempt number.")],
            idempotent: idempotent)
    }

    func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        switch script.probeAnswer(call.step) {
        case .satisfied: return .satisfied("scripted: already done")
        case .notSatisfied: return .notSatisfied
        case .fail(let retryable): throw ActionError("scripted probe failure", retryable: retryable)
        }
    }

    func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let serial = call.string("serial")
        script.begin(call.step, serial: serial)
        defer { script.end(call.step, serial: serial) }
        switch script.behaviour(call.step, attempt: call.attempt) {
        case .succeed(let outputs):
            await Task.yield()
            return outputs.merging(["value": call.inputs["value"] ?? .null, "attempt": .int(call.attempt)]) { $1 }
        case .fail(let retryable):
            throw ActionError("scripted failure of attempt \(call.attempt)", retryable: retryable)
        case .take(let duration):
            try await context.sleep(for: duration)
            return ["value": call.inputs["value"] ?? .null, "attempt": .int(call.attempt)]
        case .hang:
            while true { try await Task.sleep(for: .milliseconds(5)) }
        case .holdUntil(let condition, let limit):
            let start = ContinuousClock.now
            while !condition(script) && ContinuousClock.now - start < limit {
                try await Task.sleep(for: .milliseconds(5))
            }
            return ["value": call.inputs["value"] ?? .null, "attempt": .int(call.attempt)]
        }
    }
}

/// Plans YAML text with the scripted actions registered, and runs it with a journal in a
/// temporary directory.
struct ScriptedRun {
    let script = Script()
    let clock: any RunClock
    let registry: ActionRegistry
    let runbook: TemporaryRunbook
    let journalPath: String

    init(_ yaml: String, clock: any RunClock = VirtualClock()) throws {
        self.clock = clock
        var registry = ActionRegistry.builtin
        registry.register(ScriptedAction(script: script, idempotent: true))
        registry.register(ScriptedAction(script: script, idempotent: false))
        self.registry = registry
        runbook = try TemporaryRunbook(yaml)
        journalPath = StateDirectory.journal(in: runbook.directory)
    }

    func run(
        _ options: RunOptions = RunOptions(), approver: any Approver = AssumeYes(), control: RunControl = RunControl(), prior: Replay = Replay(),
        jitter: Double = 0.5, secrets: any SecretSource = LiveSecrets(), observer: any RunObserver = NoObserver()
    ) async throws -> (Executor.Result, [JournalEntry]) {
        let compiled = RunbookCompiler(registry: registry).compile(path: runbook.path, options: PlanOptions(isDrill: options.isDrill))
        guard let loaded = compiled.loaded, let plan = compiled.plan, !compiled.diagnostics.hasErrors else {
            throw TestFailure("load and plan: \(DiagnosticRenderer.text(compiled.diagnostics))")
        }
        let journal = try JournalWriter(path: journalPath, nextSequence: (try? JournalReader.read(journalPath).nextSequence) ?? 1)
        let environment = RunEnvironment(
            registry: registry, clock: clock, journal: journal, observer: observer, approver: approver, secrets: secrets, jitter: { jitter })
        let executor = Executor(plan: plan, loaded: loaded, environment: environment, options: options, control: control, prior: prior)
        let result = await executor.run()
        return (result, try JournalReader.readAllowingNoHeader(journalPath))
    }

}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension JournalReader {
    /// Executor tests write no runStarted header; read the events all the same.
    static func readAllowingNoHeader(_ path: String) throws -> [JournalEntry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return try Array(data).split(separator: 0x0A).map { try JournalCodec.entry(try JSONParser.parse(bytes: Array($0))) }
    }
}
