/// A program homelab stopped before its end (its step timed out, or the run was cancelled):
/// says whether SIGTERM was enough or SIGKILL was needed, so the step's outcome tells.
public struct ProcessStopped: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Signal: Sendable, Equatable {
        case terminated
        /// SIGTERM did not end it within the grace, which is given here.
        case killed(after: Duration)
    }

    public var program: String
    public var signal: Signal

    public var description: String {
        switch signal {
        case .terminated: "\(program) stopped with SIGTERM"
        case .killed(let grace): "\(program) killed with SIGKILL after \(DurationText.format(grace)) (SIGTERM did not stop it)"
        }
    }
}
