/// The one attempt loop of a step instance, for its probe and its effect alike: each attempt runs
/// under the step's timeout (cut short by the run deadline), and a failure that may pass is tried
/// again after the step's backoff while its retry policy and the deadline allow. The policy is
/// the only owner of retries: clients do not retry what the step will.
struct StepRetryLoop: Sendable {
    /// One failed attempt, and whether the loop ends with it.
    struct Failure: Error, Sendable {
        var attempt: Int
        var message: String
        var retryable: Bool
        /// No further attempt: not retryable, the policy's attempts used, or no time left.
        var final: Bool
        /// Final only because the deadline leaves no time for the attempt the policy allows.
        var cutByDeadline: Bool
    }

    let instance: PlannedStep
    let context: StepRunContext

    private var environment: RunEnvironment { context.environment }

    /// Runs `body` with attempt 1, 2, ... until it returns. `before` comes before each attempt
    /// (it may end the loop by throwing); `failed` hears of every failure, the final one too,
    /// before the wait. The final failure is then thrown as `Failure` (unless `failed` threw);
    /// an attempt the run deadline cut off as `DeadlinePassed` (numbered 0 unless `numbered`);
    /// cancellation as `CancellationError`; an approval nobody can give as it is.
    func run<T: Sendable>(
        numbered: Bool, before: (Int) throws -> Void = { _ in }, _ body: @escaping @Sendable (Int) async throws -> T,
        failed: (Failure, _ nextAfter: Duration) throws -> Void
    ) async throws -> T {
        let retry = instance.retry
        var attempt = 1
        while true {
            try before(attempt)
            let (limit, byDeadline) = attemptLimit()
            do {
                return try await withTimeout(limit, clock: environment.clock) { [attempt] in try await body(attempt) }
            } catch let unavailable as ApprovalUnavailable {
                throw unavailable
            } catch let timedOut as TimedOut where byDeadline {
                throw DeadlinePassed(attempt: numbered ? attempt : 0, after: timedOut.limit)
            } catch {
                try stopIfCancelled(error)
                let (message, retryable) = describe(error)
                let delay = backoff(after: attempt, retry)
                let deadlineAllows = context.deadline.map { environment.clock.elapsed + delay < $0 } ?? true
                let attemptsLeft = attempt < retry.attempts
                let failure = Failure(
                    attempt: attempt, message: message, retryable: retryable, final: !retryable || !attemptsLeft || !deadlineAllows,
                    cutByDeadline: retryable && attemptsLeft && !deadlineAllows)
                try failed(failure, delay)
                if failure.final { throw failure }
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
            environment.observer.update(.stepMessage(step: instance.id, message: environment.journal.redactor.redact("cancelled: \(stopped)")))
        }
        throw CancellationError()
    }

    /// The step's timeout, cut short by the run deadline; `byDeadline` when the deadline is the
    /// nearer limit (a time-out then means the run's time is up, not that the step hung).
    private func attemptLimit() -> (limit: Duration?, byDeadline: Bool) {
        let remaining = context.deadline.map { $0 - environment.clock.elapsed }
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

    private func describe(_ error: Error) -> (String, Bool) {
        switch error {
        case let timedOut as TimedOut: return (timedOut.message, true)
        case let action as ActionError: return (action.message, action.isRetryable)
        case let denied as ApprovalDenied: return ("declined by \(denied.by)", false)
        default: return ("\(error)", false)
        }
    }
}
