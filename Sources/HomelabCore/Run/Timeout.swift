/// An attempt that ran past its time limit (the step's timeout, or what was left of the run's deadline).
public struct TimedOut: Error, Sendable {
    public var limit: Duration
}

/// Runs `body` on `clock` within `limit` (no limit: as long as it takes).
func withTimeout<T: Sendable>(_ limit: Duration?, clock: any RunClock, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    guard let limit else { return try await body() }
    return try await clock.timeout(limit, body)
}
