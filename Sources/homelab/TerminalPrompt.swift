import Foundation
import HomelabCore
import Synchronization

/// Asks the operator one question at a time on the terminal. Reading standard input blocks, so
/// it happens on a thread of its own, not the task pool; the live view hides while it waits.
final class TerminalPrompt: Sendable {
    private let asking = Mutex<RunPrinter?>(nil)

    /// The run's printer, once it exists (questions may be asked before, e.g. while connecting).
    func attach(_ printer: RunPrinter) {
        asking.withLock { $0 = printer }
    }

    /// The answer line, or nil at the end of input (nobody to ask).
    func ask(_ question: String) async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in
                let line: String? = asking.withLock { printer in
                    printer?.hideLiveView()  // or the live view's redraws overwrite the question
                    defer { printer?.showLiveView() }
                    Terminal.err("\n? \(question) [y/N] ")
                    return readLine()
                }
                continuation.resume(returning: line)
            }
        }
    }

    static func isYes(_ answer: String) -> Bool {
        ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
