import HomelabCore

/// How long a polling loop may go on, measured on the engine's clock (calls and pauses alike),
/// so a virtual clock in tests ends the wait exactly as a real one does. Every integration that
/// asks "done yet?" until a limit uses it.
struct PollBudget {
    let limit: Duration
    private let clock: any RunClock
    private let start: Duration

    init(_ limit: Duration, clock: any RunClock) {
        self.limit = limit
        self.clock = clock
        start = clock.elapsed
    }

    /// Time used so far.
    var spent: Duration { clock.elapsed - start }

    /// Pauses for `interval` and returns true, or returns false when that would overrun the limit.
    func pause(_ interval: Duration, context: any ActionContext) async throws -> Bool {
        guard spent + interval <= limit else { return false }
        try await context.sleep(for: interval)
        return true
    }
}
