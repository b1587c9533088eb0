/// The `ActionContext` one step instance runs with: messages go to the observer (redacted),
/// approvals to the approver and into the journal, sleeps to the engine's clock.
struct StepContext: ActionContext {
    let step: String
    let environment: RunEnvironment

    func report(_ message: String) {
        environment.observer.update(.stepMessage(step: step, message: environment.journal.redactor.redact(message)))
    }

    func approve(_ message: String) async throws -> String {
        let who = try await environment.approver.approve(step: step, question: message)
        try environment.journal.append(.approvalGranted(step: step, by: who), durable: true)
        return who
    }

    var clock: any RunClock { environment.clock }

    var processes: any LocalProcess { environment.processes }
}
