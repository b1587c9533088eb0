/// How long to pause between two looks at something that is not ready yet: always the same, or
/// growing by a factor up to a ceiling (a host that is still booting need not be asked every
/// second for ten minutes).
struct PollSchedule: Sendable, Equatable {
    let first: Duration
    let factor: Int
    let ceiling: Duration

    /// The same pause every time.
    static func every(_ interval: Duration) -> PollSchedule {
        PollSchedule(first: interval, factor: 1, ceiling: interval)
    }

    /// `first`, then `factor` times the previous pause, never more than `ceiling`.
    static func backoff(from first: Duration, factor: Int = 2, upTo ceiling: Duration) -> PollSchedule {
        PollSchedule(first: first, factor: max(1, factor), ceiling: max(first, ceiling))
    }

    /// The pause after `pauses` pauses already taken (0 for the first).
    func interval(after pauses: Int) -> Duration {
        var interval = first
        for _ in 0..<max(0, pauses) where interval < ceiling {
            interval *= factor // stops growing at the ceiling, so it never overflows
        }
        return min(interval, ceiling)
    }
}
