import Foundation

/// What a ProxmoxClient repeats inside one step attempt: only reads (a GET is asked once more
/// after `readRetryDelay`, and a lost mutation's effect is re-read). A mutating call is sent once
/// per call; the step's retry policy decides whether the next attempt sends it again. Sleeping
/// and the clock are injected so tests never wait.
public struct ProxmoxRetryPolicy: Sendable {
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
        readRetryDelay: Duration = .milliseconds(500),
        placeholderRecheck: Duration = .seconds(2), clockSkew: Int = 5,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }
    ) {
        self.readRetryDelay = readRetryDelay
        self.placeholderRecheck = placeholderRecheck
        self.clockSkew = clockSkew
        self.sleep = sleep
        self.now = now
    }
}
