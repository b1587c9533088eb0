/// When an operation must be over, and the budget it was given (timeouts quote the budget).
struct SSHDeadline: Sendable {
    let instant: ContinuousClock.Instant
    let budget: Duration

    init(_ budget: Duration) {
        self.budget = budget
        self.instant = ContinuousClock.now.advanced(by: budget)
    }

    var expired: Bool { ContinuousClock.now >= instant }

    var budgetSeconds: Double {
        Double(budget.components.seconds) + Double(budget.components.attoseconds) / 1e18
    }

    func timeout(_ endpoint: String, _ phase: SSHPhase) -> SSHError {
        .timeout(endpoint: endpoint, phase: phase, seconds: budgetSeconds)
    }
}
