import Foundation

/// How a ProxmoxClient retries: dispatches up to `attempts` times with doubling backoff (only
/// after re-reading state), reads once more after `readRetryDelay`. Sleeping and the clock are
/// injected so tests never wait.
public struct ProxmoxRetryPolicy: Sendable {
    public var attempts: Int
    public var backoff: Duration
    public var readRetryDelay: Duration
    /// A placeholder config without a task is looked at again after this pause: pvedaemon may
    /// still be forking the worker when pveproxy already answered 596.
    public var placeholderRecheck: Duration
    /// How far the host's clock may lag ours when deciding that a finished task is this call's.
    public var clockSkew: Int
    public var sleep: @Sendable (Duration) async throws -> Void
    /// Unix seconds.
    public var now: @Sendable () -> Int

    public init(
        attempts: Int = 3, backoff: Duration = .seconds(2), readRetryDelay: Duration = .milliseconds(500),
        placeholderRecheck: Duration = .seconds(2), clockSkew: Int = 5,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }
    ) {
        self.attempts = attempts
        self.backoff = backoff
        self.readRetryDelay = readRetryDelay
        self.placeholderRecheck = placeholderRecheck
        self.clockSkew = clockSkew
        self.sleep = sleep
        self.now = now
    }

    /// The pause before attempt `attempt` (2, 3, ...): backoff, 2 x backoff, ... (the kit's
    /// backoff, capped far beyond any attempts count a step uses).
    func pause(before attempt: Int) -> Duration {
        PollSchedule.backoff(from: backoff, upTo: backoff * 1024).interval(after: attempt - 2)
    }
}
