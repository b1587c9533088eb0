import Foundation
import Synchronization

/// Sends the runbook's `notify:` pushes. It stands between the engine and its observer and
/// approver, so it sees the run start, steps fail, approvals being asked and the run end, without
/// the executor knowing. A notification that cannot be sent is a notice, never a failed run.
final class RunNotifier: RunObserver, Approver, Sendable {
    private let inner: RunEnvironment
    private let hook: NotifyHook
    private let runbook: Runbook
    private let plan: Plan
    private let scope: Scope
    /// The notifications still being sent, in order, and the run they are about.
    private let state = Mutex<(pending: [Task<Void, Never>], runID: String)>(([], ""))

    /// One notification may take this long; a dead push server must not hold up a recovery.
    static let sendLimit: Duration = .seconds(20)

    /// The environment with the notifier in place, when the runbook has a `notify:` section.
    static func attach(to environment: RunEnvironment, plan: Plan, loaded: LoadedRunbook) -> (RunEnvironment, RunNotifier?) {
        guard let hook = loaded.runbook.notify, environment.registry["notify"] != nil else { return (environment, nil) }
        var scope = Scope(params: [:], inventory: loaded.inventory.map { Value($0.root) }, secrets: Set(loaded.runbook.secrets.map(\.name)))
        scope.storage = loaded.storage?.value
        scope.storageFailed = loaded.storageFailed
        for (name, value) in plan.params { scope.params[name] = .some(value.value) }
        scope.step = "notify"
        let notifier = RunNotifier(inner: environment, hook: hook, runbook: loaded.runbook, plan: plan, scope: scope)
        var wrapped = environment
        wrapped.observer = notifier
        wrapped.approver = notifier
        return (wrapped, notifier)
    }

    private init(inner: RunEnvironment, hook: NotifyHook, runbook: Runbook, plan: Plan, scope: Scope) {
        self.inner = inner
        self.hook = hook
        self.runbook = runbook
        self.plan = plan
        self.scope = scope
    }

    func update(_ update: RunUpdate) {
        inner.observer.update(update)
        let name = plan.runbook + (plan.isDrill ? " (drill)" : "")
        switch update {
        case .runStarted(let id, _, let instances, let resumed):
            state.withLock { $0.runID = id }
            send(
                .start, title: "\(name): run \(resumed ? "resumed" : "started")",
                message: "Run \(id) \(resumed ? "resumed" : "started") on \(LocalHost.name): \(instances) steps.")
        case .stepFinished(let step, .failed(let error), _):
            send(.failure, title: "\(name): step \(step) failed", message: error)
        case .runFinished(let id, let outcome, let summary):
            send(.finish, title: "\(name): \(Self.headline(outcome))", message: Self.summary(id, outcome, summary))
        default:
            break
        }
    }

    func approve(step: String, question: String) async throws -> String {
        // With --yes nobody has to act, so nobody is woken up.
        if inner.approver is AssumeYes { return try await inner.approver.approve(step: step, question: question) }
        let id = state.withLock { $0.runID }
        send(
            .approval, title: "\(plan.runbook): approval needed at \(step)",
            message: "\(question) Answer at the terminal where run \(id) waits; if it stopped at the gate, 'homelab resume \(id)' asks again.")
        return try await inner.approver.approve(step: step, question: question)
    }

    /// Waits for notifications still in flight (at most `sendLimit` each), before the process ends.
    func flush() async {
        let tasks = state.withLock { state in
            defer { state.pending = [] }
            return state.pending
        }
        for task in tasks { await task.value }
    }

    private func send(_ event: NotifyHook.Event, title: String, message: String) {
        guard hook.events.contains(event) else { return }
        // One after another, in the order the run saw them: a phone that shows "run failed"
        // before "step check failed" tells the story backwards (seen in a test under load).
        state.withLock { state in
            let previous = state.pending.last
            let task = Task { [self] in
                await previous?.value
                do {
                    try await withTimeout(Self.sendLimit, clock: inner.clock) { [self] in
                        try await deliver(title: title, message: message)
                    }
                } catch {
                    let reason = error is TimedOut ? "no answer within \(DurationText.format(Self.sendLimit))" : "\(error)"
                    inner.observer.update(.runNotice(message: inner.journal.redactor.redact("the '\(event.rawValue)' notification was not sent: \(reason)")))
                }
            }
            state.pending.append(task)
        }
    }

    private func deliver(title: String, message: String) async throws {
        guard let action = inner.registry["notify"] else { return }
        var scope = scope
        scope.secretValues = try await RunInputs.secretValues(plan.notify?.secrets ?? [], runbook: runbook, environment: inner)
        var evaluator = Evaluator(scope: scope)
        var inputs = try RunInputs.resolve(hook.step, schema: action.schema, evaluator: &evaluator)
        inputs["title"] = .string(inner.journal.redactor.redact(title))
        inputs["message"] = .string(inner.journal.redactor.redact(message))
        _ = try await action.run(ActionCall(step: "notify", inputs: inputs), context: NotifyContext(environment: inner))
    }

    static func headline(_ outcome: RunOutcome) -> String {
        switch outcome {
        case .succeeded: "run succeeded"
        case .failed: "run failed"
        case .interrupted: "run stopped, can be resumed"
        case .deadlineExceeded: "run passed its deadline"
        }
    }

    static func summary(_ id: String, _ outcome: RunOutcome, _ summary: RunSummary) -> String {
        var parts = ["\(summary.succeeded) succeeded"]
        if summary.satisfied > 0 { parts.append("\(summary.satisfied) already satisfied") }
        if summary.failed > 0 { parts.append("\(summary.failed) failed") }
        if summary.upstreamFailed + summary.notStarted > 0 { parts.append("\(summary.upstreamFailed + summary.notStarted) not run") }
        var text = "Run \(id): " + parts.joined(separator: ", ") + "."
        if let reason = summary.stopReason { text += " Stopped: \(reason.text)." }
        if outcome != .succeeded { text += " Details: 'homelab status \(id)'." }
        return text
    }
}

/// What the notify action sees when the engine calls it outside any step.
private struct NotifyContext: ActionContext {
    let environment: RunEnvironment

    func report(_ message: String) {}

    func approve(_ message: String) async throws -> String {
        throw ApprovalUnavailable(step: "notify")
    }

    var clock: any RunClock { environment.clock }
}
