/// What `homelab plan --probe` learned about one step instance from its action's read-only probe.
public struct ProbeFinding: Sendable, Equatable {
    public enum State: String, Sendable {
        /// The work is already in place: a run will record it and move on.
        case done
        /// Not in place: a run will do it (the detail may say what it would change).
        case pending
        /// Cannot be probed before the run: its inputs read outputs of earlier steps.
        case unknown
        /// The probe itself failed (unreachable host, refused token): the run would meet it too.
        case failed
    }

    public var state: State
    public var detail: String

    public init(_ state: State, _ detail: String) {
        self.state = state
        self.detail = detail
    }
}
