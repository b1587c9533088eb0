/// An attempt that ran past its time limit (the step's timeout, or what was left of the run's deadline).
public struct TimedOut: Error, Sendable {
    public var limit: Duration
    /// How the cancelled work ended, when it said (a local program: which signal stopped it).
    public var stopped: String?

    public init(limit: Duration, stopped: String? = nil) {
        self.limit = limit
        self.stopped = stopped
    }

    /// "timed out after 2s; sleep stopped with SIGTERM".
    public var message: String {
        "timed out after \(DurationText.format(limit))" + (stopped.map { "; \($0)" } ?? "")
    }
}

/// Runs `body` on `clock` within `limit` (no limit: as long as it takes).
func withTimeout<T: Sendable>(_ limit: Duration?, clock: any RunClock, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let limit else { return try await body() }
    return try await clock.timeout(limit, body)
}
