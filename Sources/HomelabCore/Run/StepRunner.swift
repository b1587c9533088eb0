/// Runs one step instance: condition, inputs, confirmation, probe, then attempts with timeout,
/// backoff and jitter. Every fact goes to the journal before the engine acts on it.
struct StepRunner: Sendable {
    struct Outcome: Sendable {
        var result: StepResult
        var outputs: [String: Value] = [:]
        /// Set when the run must stop here (an approval nobody can give now, the deadline).
        var stopReason: String?
        /// The question nobody could answer, when that is why the run stops here.
        var approval: PendingApproval?
    }

    let instance: PlannedStep
    let step: Step
    let runbook: Runbook
    let scope: Scope
    let environment: RunEnvironment
    let options: RunOptions
    /// Elapsed run time after which no attempt may start or go on.
    let deadline: Duration?
    /// The journal shows this instance started but never ended (the run died under it).
    let wasInFlight: Bool
    /// An operator already said yes to this instance in an earlier session.
    let approvedBefore: Bool

    private var journal: JournalWriter { environment.journal }
    private var id: String { instance.id }

    func run() async -> Outcome {
        if case .skipped(let reason) = instance.status { return skip(reason) }
        do {
            var scope = scope
            scope.secretValues = try await RunInputs.secretValues(instance.secrets, runbook: runbook, environment: environment)
            var evaluator = Evaluator(scope: scope)
            if let when = step.when {
                let condition = evaluator.resolve(when)
                guard let value = condition.value else { return fail("'when' is not known at run time: \(condition.display.text)") }
                if !value.isTruthy { return skip("when: \(when.string ?? value.text) is false") }
            }
            let inputs = try RunInputs.resolve(step, schema: environment.registry[instance.uses]?.schema, evaluator: &evaluator)
            guard let action = environment.registry[instance.uses] else { return fail("unknown action '\(instance.uses)'") }
            let call = ActionCall(step: id, inputs: inputs)
            let context = StepContext(step: id, environment: environment)
            if case .satisfied(let reason) = try await probe(action, call: call, context: context) {
                try journal.append(.stepSatisfied(step: id, reason: reason))
                return Outcome(result: .satisfied(reason))
            }
            if let stop = try await confirm(action.schema) { return stop }
            return try await attempts(of: action, call: call, context: context)
        } catch let unavailable as ApprovalUnavailable {
            // Asked by the action itself: an approval gate.
            return waiting(PendingApproval(step: unavailable.step, question: unavailable.question, reason: .gate))
        } catch let cutOff as DeadlinePassed {
            // Not the step's fault: the run's time is up. Retryable, and the run resumable.
            return fail("\(cutOff)", stop: Self.deadlineStop, attempt: cutOff.attempt, retryable: true)
        } catch is CancellationError {
            return Outcome(result: .notStarted, stopReason: "cancelled")
        } catch {
            return fail("\(error)")
        }
    }

    /// Destructive steps outside a drill, and interrupted non-idempotent steps, need a yes.
    private func confirm(_ schema: ActionSchema) async throws -> Outcome? {
        guard !approvedBefore else { return nil }
        let question: String
        let reason: PendingApproval.Reason
        if instance.isDestructive && !options.isDrill {
            (question, reason) = ("Step '\(id)' is destructive (\(schema.name)). Run it?", .destructive)
        } else if wasInFlight && !schema.idempotent {
            (question, reason) = (
                "Step '\(id)' was running when the run stopped, and '\(schema.name)' is not safe to repeat. Its probe finds nothing done. Run it again?",
                .interrupted
            )
        } else {
            return nil
        }
        do {
            let who = try await environment.approver.approve(step: id, question: question)
            try journal.append(.approvalGranted(step: id, by: who), durable: true)
            return nil
        } catch let denied as ApprovalDenied {
            return fail("declined by \(denied.by)")
        } catch is ApprovalUnavailable {
            return waiting(PendingApproval(step: id, question: question, reason: reason))
        }
    }

    /// The run stops at a question nobody can answer now; it says what and why when it ends.
    private func waiting(_ approval: PendingApproval) -> Outcome {
        var approval = approval
        approval.question = journal.redactor.redact(approval.question)
        return Outcome(result: .notStarted, stopReason: "waiting for approval at step '\(approval.step)'", approval: approval)
    }

    /// The stop reason the executor turns into the deadline-exceeded outcome.
    static let deadlineStop = "deadline exceeded"

    /// The probe, tried again like an attempt when it fails for a reason that may pass (the host
    /// answered 596, a timeout): a DR run must not give up on a step because a read failed once.
    private func probe(_ action: any Action, call: ActionCall, context: StepContext) async throws -> ProbeResult {
        var attempt = 1
        while true {
            let (limit, byDeadline) = attemptLimit()
            do {
                return try await withTimeout(limit, clock: environment.clock) { [call] in
                    try await action.probe(call, context: context)
                }
            } catch let timedOut as TimedOut where byDeadline {
                throw DeadlinePassed(attempt: 0, after: timedOut.limit)
            } catch {
                try stopIfCancelled(error)
                let (message, retryable) = describe(error, limit: limit)
                let delay = backoff(after: attempt, instance.retry)
                let deadlineAllows = deadline.map { environment.clock.elapsed + delay < $0 } ?? true
                guard retryable, attempt < instance.retry.attempts, deadlineAllows else {
                    throw ActionError("checking whether '\(id)' is already done failed: \(message)")
                }
                environment.observer.update(
                    .stepMessage(
                        step: id,
                        message: journal.redactor.redact(
                            "checking whether it is already done failed (\(message)); checking again in \(DurationText.format(delay))")))
                try await environment.clock.sleep(for: delay)
                attempt += 1
            }
        }
    }

    private func attempts(of action: any Action, call: ActionCall, context: StepContext) async throws -> Outcome {
        let retry = instance.retry
        let durable = !action.schema.idempotent
        var attempt = 1
        while true {
            if let deadline, environment.clock.elapsed >= deadline {
                return fail("the run deadline passed before attempt \(attempt)", stop: Self.deadlineStop)
            }
            try journal.append(.stepStarted(step: id, attempt: attempt), durable: durable)
            environment.observer.update(.stepStarted(step: id, attempt: attempt, of: retry.attempts))
            var attemptCall = call
            attemptCall.attempt = attempt
            let (limit, byDeadline) = attemptLimit()
            do {
                let outputs = try await withTimeout(limit, clock: environment.clock) { [attemptCall] in
                    try await action.run(attemptCall, context: context)
                }
                let redacted = journal.redactor.redact(Value.map(outputs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
                try journal.append(.stepSucceeded(step: id, attempt: attempt, outputs: redacted), durable: durable)
                return Outcome(result: .succeeded, outputs: outputs)
            } catch let error as ApprovalUnavailable {
                throw error
            } catch let timedOut as TimedOut where byDeadline {
                throw DeadlinePassed(attempt: attempt, after: timedOut.limit)
            } catch {
                try stopIfCancelled(error)
                let (message, retryable) = describe(error, limit: limit)
                let delay = backoff(after: attempt, retry)
                let deadlineAllows = deadline.map { environment.clock.elapsed + delay < $0 } ?? true
                let final = !retryable || attempt >= retry.attempts || !deadlineAllows
                try journal.append(.stepFailed(step: id, attempt: attempt, error: message, retryable: retryable, final: final), durable: final)
                if final {
                    let stop = retryable && attempt < retry.attempts ? Self.deadlineStop : nil
                    return Outcome(result: .failed(journal.redactor.redact(message)), stopReason: stop)
                }
                environment.observer.update(.stepRetrying(step: id, attempt: attempt, error: journal.redactor.redact(message), after: delay))
                try await environment.clock.sleep(for: delay)
                attempt += 1
            }
        }
    }

    /// A cancelled run (a second signal, the grace over) ends the step as not done, not failed;
    /// how its program was stopped is still worth a line to the operator.
    private func stopIfCancelled(_ error: Error) throws {
        if error is CancellationError { throw error }
        guard Task.isCancelled else { return }
        if let stopped = error as? ProcessStopped {
            environment.observer.update(.stepMessage(step: id, message: journal.redactor.redact("cancelled: \(stopped)")))
        }
        throw CancellationError()
    }

    /// The step's timeout, cut short by the run deadline; `byDeadline` when the deadline is the
    /// nearer limit (a time-out then means the run's time is up, not that the step hung).
    private func attemptLimit() -> (limit: Duration?, byDeadline: Bool) {
        let remaining = deadline.map { $0 - environment.clock.elapsed }
        switch (instance.timeout, remaining) {
        case (let timeout?, let remaining?): return remaining <= timeout ? (remaining, true) : (timeout, false)
        case (let timeout, let remaining): return (timeout ?? remaining, timeout == nil && remaining != nil)
        }
    }

    /// Exponential (backoff × 2^(n-1), capped) with "equal jitter": half fixed, half random,
    /// so that retries of many steps do not hit a recovering service in lockstep.
    func backoff(after attempt: Int, _ retry: RetryPolicy) -> Duration {
        let exponential = retry.backoff * (1 << min(attempt - 1, 20))
        let capped = min(exponential, retry.maxBackoff)
        return capped / 2 + capped / 2 * environment.jitter()
    }

    private func describe(_ error: Error, limit: Duration?) -> (String, Bool) {
        switch error {
        case let timedOut as TimedOut: return (timedOut.message, true)
        case let action as ActionError: return (action.message, action.isRetryable)
        case let denied as ApprovalDenied: return ("declined by \(denied.by)", false)
        default: return ("\(error)", false)
        }
    }

    private func skip(_ reason: String) -> Outcome {
        _ = try? journal.append(.stepSkipped(step: id, reason: reason))
        return Outcome(result: .skipped(reason))
    }

    private func fail(_ message: String, stop: String? = nil, attempt: Int = 0, retryable: Bool = false) -> Outcome {
        let redacted = journal.redactor.redact(message)
        _ = try? journal.append(.stepFailed(step: id, attempt: attempt, error: redacted, retryable: retryable, final: true), durable: true)
        return Outcome(result: .failed(redacted), stopReason: stop)
    }
}
