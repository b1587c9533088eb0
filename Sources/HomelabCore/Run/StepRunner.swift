/// Runs one step instance: condition, inputs, confirmation, probe, then attempts with timeout,
/// backoff and jitter. Every fact goes to the journal before the engine acts on it.
struct StepRunner: Sendable {
    struct Outcome: Sendable {
        var result: StepResult
        var outputs: [String: Value] = [:]
        /// Set when the run must stop here (an approval nobody can give now, the deadline).
        var stop: StopReason?
        /// The question nobody could answer, when that is why the run stops here.
        var approval: PendingApproval?

        /// The run stops at a question nobody can answer now; it says what and why when it ends.
        static func waiting(_ approval: PendingApproval) -> Outcome {
            Outcome(result: .notStarted, stop: .waitingForApproval(step: approval.step), approval: approval)
        }
    }

    let instance: PlannedStep
    let step: Step
    /// The outputs of the steps this instance needs, and its item.
    let scope: Scope
    let context: StepRunContext

    private var environment: RunEnvironment { context.environment }
    private var journal: JournalWriter { environment.journal }
    private var id: String { instance.id }
    private var loop: StepRetryLoop { StepRetryLoop(instance: instance, context: context) }

    func run() async -> Outcome {
        if case .skipped(let reason) = instance.status { return skip(reason) }
        do {
            var scope = scope
            scope.secretValues = try await RunInputs.secretValues(instance.secrets, runbook: context.runbook, environment: environment)
            var evaluator = Evaluator(scope: scope)
            if let when = step.when {
                let condition = evaluator.resolve(when)
                guard let value = condition.value else { return fail("'when' is not known at run time: \(condition.display.text)") }
                if !value.isTruthy { return skip("when: \(when.string ?? value.text) is false") }
            }
            let inputs = try RunInputs.resolve(step, schema: environment.registry[instance.uses]?.schema, evaluator: &evaluator)
            guard let action = environment.registry[instance.uses] else { return fail("unknown action '\(instance.uses)'") }
            let call = ActionCall(step: id, inputs: inputs)
            let stepContext = StepContext(step: id, environment: environment)
            if case .satisfied(let reason) = try await probe(action, call: call, context: stepContext) {
                try journal.append(.stepSatisfied(step: id, reason: reason))
                return Outcome(result: .satisfied(reason))
            }
            if let stop = try await confirm(action.schema) { return stop }
            return try await attempts(of: action, call: call, context: stepContext)
        } catch let unavailable as ApprovalUnavailable {
            // Asked by the action itself: an approval gate.
            return waiting(PendingApproval(step: unavailable.step, question: unavailable.question, reason: .gate))
        } catch let cutOff as DeadlinePassed {
            // Not the step's fault: the run's time is up. Retryable, and the run resumable.
            return fail("\(cutOff)", stop: .deadlineExceeded, attempt: cutOff.attempt, retryable: true)
        } catch is CancellationError {
            return Outcome(result: .notStarted, stop: .cancelled)
        } catch {
            return fail("\(error)")
        }
    }

    /// Destructive steps outside a drill, and interrupted non-idempotent steps, need a yes.
    private func confirm(_ schema: ActionSchema) async throws -> Outcome? {
        guard !context.prior.approved.contains(id) else { return nil }
        let question: String
        let reason: PendingApproval.Reason
        if instance.isDestructive && !context.options.isDrill {
            (question, reason) = ("Step '\(id)' is destructive (\(schema.name)). Run it?", .destructive)
        } else if context.prior.inFlight.contains(id) && !schema.idempotent {
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

    private func waiting(_ approval: PendingApproval) -> Outcome {
        var approval = approval
        approval.question = journal.redactor.redact(approval.question)
        return .waiting(approval)
    }

    /// The probe, tried again like an attempt when it fails for a reason that may pass (the host
    /// answered 596, a timeout): a DR run must not give up on a step because a read failed once.
    private func probe(_ action: any Action, call: ActionCall, context: StepContext) async throws -> ProbeResult {
        do {
            return try await loop.run(numbered: false) { [call] _ in
                try await action.probe(call, context: context)
            } failed: { failure, delay in
                if failure.final { throw ActionError("checking whether '\(id)' is already done failed: \(failure.message)") }
                environment.observer.update(
                    .stepMessage(
                        step: id,
                        message: journal.redactor.redact(
                            "checking whether it is already done failed (\(failure.message)); checking again in \(DurationText.format(delay))")))
            }
        } catch let unavailable as ApprovalUnavailable {
            // Only an attempt may ask; a probe that asks has failed like any other error.
            throw ActionError("checking whether '\(id)' is already done failed: \(unavailable)")
        }
    }

    private func attempts(of action: any Action, call: ActionCall, context: StepContext) async throws -> Outcome {
        let retry = instance.retry
        let durable = !action.schema.idempotent
        do {
            let (attempt, outputs) = try await loop.run(numbered: true) { attempt in
                if let deadline = self.context.deadline, environment.clock.elapsed >= deadline { throw DeadlineBeforeAttempt(attempt: attempt) }
                try journal.append(.stepStarted(step: id, attempt: attempt), durable: durable)
                environment.observer.update(.stepStarted(step: id, attempt: attempt, of: retry.attempts))
            } _: { [call] attempt in
                var attemptCall = call
                attemptCall.attempt = attempt
                return (attempt, try await action.run(attemptCall, context: context))
            } failed: { failure, delay in
                try journal.append(
                    .stepFailed(step: id, attempt: failure.attempt, error: failure.message, retryable: failure.retryable, final: failure.final),
                    durable: failure.final)
                if !failure.final {
                    environment.observer.update(
                        .stepRetrying(step: id, attempt: failure.attempt, error: journal.redactor.redact(failure.message), after: delay))
                }
            }
            let redacted = journal.redactor.redact(Value.map(outputs.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
            try journal.append(.stepSucceeded(step: id, attempt: attempt, outputs: redacted), durable: durable)
            return Outcome(result: .succeeded, outputs: outputs)
        } catch let failure as StepRetryLoop.Failure {
            return Outcome(result: .failed(journal.redactor.redact(failure.message)), stop: failure.cutByDeadline ? .deadlineExceeded : nil)
        } catch let late as DeadlineBeforeAttempt {
            return fail("the run deadline passed before attempt \(late.attempt)", stop: .deadlineExceeded)
        }
    }

    /// The deadline had passed when the next attempt was due: it does not start.
    private struct DeadlineBeforeAttempt: Error {
        var attempt: Int
    }

    private func skip(_ reason: String) -> Outcome {
        _ = try? journal.append(.stepSkipped(step: id, reason: reason))
        return Outcome(result: .skipped(reason))
    }

    private func fail(_ message: String, stop: StopReason? = nil, attempt: Int = 0, retryable: Bool = false) -> Outcome {
        context.fail(id, message, stop: stop, attempt: attempt, retryable: retryable)
    }
}
