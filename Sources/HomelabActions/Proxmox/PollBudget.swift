import HomelabCore

/// How long a polling loop may go on: time spent in calls (measured) plus pauses (as asked of
/// the engine's clock), so a virtual clock in tests ends the wait just as a real one does.
struct PollBudget {
    let limit: Duration
    private(set) var spent: Duration = .zero
    private var mark = ContinuousClock.now

    init(_ limit: Duration) { self.limit = limit }

    /// Pauses for `interval` and returns true, or returns false when that would overrun the limit.
    mutating func pause(_ interval: Duration, context: any ActionContext) async throws -> Bool {
        spent += ContinuousClock.now - mark
        guard spent + interval <= limit else { return false }
        try await context.sleep(for: interval)
        spent += interval
        mark = ContinuousClock.now
        return true
    }
}
