/// How a run behaves; the command line fills it in.
public struct RunOptions: Sendable {
    /// Most step effects running at once.
    public var parallelism: Int
    /// After a failure, keep running branches that do not depend on it.
    public var keepGoing: Bool
    /// The RTO budget: no attempt may run past it.
    public var deadline: Duration?
    /// Approve gates, destructive steps and re-runs of interrupted non-idempotent steps without asking.
    public var assumeYes: Bool
    public var isDrill: Bool

    public init(parallelism: Int = 4, keepGoing: Bool = false, deadline: Duration? = nil, assumeYes: Bool = false, isDrill: Bool = false) {
        self.parallelism = max(1, parallelism)
        self.keepGoing = keepGoing
        self.deadline = deadline
        self.assumeYes = assumeYes
        self.isDrill = isDrill
    }
}
