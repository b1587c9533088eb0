/// What every step instance of one run is given, made once by the executor: the runbook, the
/// run's environment and options, the deadline, and what earlier sessions of the run did. The
/// instance's own scope (the outputs it needs, its item) travels beside it.
struct StepRunContext: Sendable {
    let runbook: Runbook
    let environment: RunEnvironment
    let options: RunOptions
    /// Elapsed run time after which no attempt may start or go on (nil: no deadline).
    let deadline: Duration?
    let prior: Replay

    /// The same run without its deadline: `finally` steps clean up even after it passed.
    var withoutDeadline: StepRunContext {
        StepRunContext(runbook: runbook, environment: environment, options: options, deadline: nil, prior: prior)
    }

    /// An instance that fails before (or without) any attempt: journaled as its final failure,
    /// redacted, with the stop it causes.
    func fail(_ id: String, _ message: String, stop: StopReason? = nil, attempt: Int = 0, retryable: Bool = false) -> StepRunner.Outcome {
        let redacted = environment.journal.redactor.redact(message)
        _ = try? environment.journal.append(.stepFailed(step: id, attempt: attempt, error: redacted, retryable: retryable, final: true), durable: true)
        return StepRunner.Outcome(result: .failed(redacted), stop: stop)
    }
}
