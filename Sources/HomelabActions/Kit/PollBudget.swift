import HomelabCore

/// How long a polling loop may go on and how long it pauses between looks, measured on the
/// engine's clock (calls and pauses alike), so a virtual clock in tests ends the wait exactly as
/// a real one does. Every integration that asks "done yet?" until a limit uses it.
struct PollBudget {
    let limit: Duration
    let schedule: PollSchedule
    private let clock: any RunClock
    private let start: Duration
    /// Pauses taken so far: what a backoff schedule grows with.
    private(set) var pauses = 0

    init(_ limit: Duration, every schedule: PollSchedule, clock: any RunClock) {
        self.limit = limit
        self.schedule = schedule
        self.clock = clock
        start = clock.elapsed
    }

    init(_ limit: Duration, every interval: Duration, clock: any RunClock) {
        self.init(limit, every: .every(interval), clock: clock)
    }

    /// Time used so far.
    var spent: Duration { clock.elapsed - start }

    /// Time left before the limit (zero once it is reached).
    var remaining: Duration { max(.zero, limit - spent) }

    /// The next pause the schedule asks for.
    var nextInterval: Duration { schedule.interval(after: pauses) }

    /// Whether the next whole pause still fits in the limit.
    var canPause: Bool { spent + nextInterval <= limit }

    /// Pauses for the next interval and returns true, or returns false when that would overrun
    /// the limit.
    mutating func pause(context: any ActionContext) async throws -> Bool {
        guard canPause else { return false }
        return try await take(nextInterval, context: context)
    }

    /// Like `pause`, but shortens the last pause to end at the limit, so there is one more look
    /// exactly at the deadline (a task that ends just in time is seen to end). False once the
    /// limit is reached.
    mutating func pauseUntilLimit(context: any ActionContext) async throws -> Bool {
        guard remaining > .zero else { return false }
        return try await take(min(nextInterval, remaining), context: context)
    }

    private mutating func take(_ interval: Duration, context: any ActionContext) async throws -> Bool {
        try await context.sleep(for: interval)
        pauses += 1
        return true
    }
}
