/// How often a step is tried, and how long to wait between tries (exponential, capped).
public struct RetryPolicy: Sendable, Equatable {
    public var attempts: Int
    public var backoff: Duration
    public var maxBackoff: Duration

    public init(attempts: Int = 1, backoff: Duration = .seconds(5), maxBackoff: Duration = .seconds(60)) {
        self.attempts = attempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }

    public static let once = RetryPolicy()
}
