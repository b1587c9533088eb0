import Foundation
import HomelabCore
import Synchronization

/// Asks the operator on the terminal, one question at a time, and names who said yes.
/// Reading standard input blocks, so it happens on a thread of its own, not the task pool.
final class TerminalApprover: Approver {
    private let asking = Mutex(())
    private let printer: RunPrinter

    init(printer: RunPrinter) {
        self.printer = printer
    }

    func approve(step: String, question: String) async throws -> String {
        let answer: String? = await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in
                let line: String? = asking.withLock { _ in
                    printer.hideLiveView()  // or the live view's redraws overwrite the question
                    defer { printer.showLiveView() }
                    Terminal.err("\n? \(question) [y/N] ")
                    return readLine()
                }
                continuation.resume(returning: line)
            }
        }
        let who = "\(ProcessInfo.processInfo.userName)@\(ProcessInfo.processInfo.hostName)"
        guard let answer else { throw ApprovalUnavailable(step: step) }  // end of input: nobody to ask
        guard ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw ApprovalDenied(step: step, by: who)
        }
        return who
    }
}
