/// An attempt or probe of a step was cut off because the run's deadline (`--deadline`) came, not
/// because the step's own timeout did: the run ends as deadline-exceeded (resumable), not failed.
struct DeadlinePassed: Error, Sendable, CustomStringConvertible {
    /// The attempt cut off; 0 for the probe that comes before the first one.
    var attempt: Int
    /// How long it had been given: what was left of the deadline when it started.
    var after: Duration

    var description: String {
        let what = attempt == 0 ? "checking whether it is already done" : "attempt \(attempt)"
        return "\(what) was cut off by the run deadline after \(DurationText.format(after))"
    }
}
