import Foundation
import HomelabCore

/// Asks the operator on the terminal and names who said yes.
final class TerminalApprover: Approver {
    private let prompt: TerminalPrompt

    init(prompt: TerminalPrompt) {
        self.prompt = prompt
    }

    func approve(step: String, question: String) async throws -> String {
        let who = "\(ProcessInfo.processInfo.userName)@\(ProcessInfo.processInfo.hostName)"
        guard let answer = await prompt.ask(question) else { throw ApprovalUnavailable(step: step, question: question) }
        guard TerminalPrompt.isYes(answer) else { throw ApprovalDenied(step: step, by: who) }
        return who
    }
}
