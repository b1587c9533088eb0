import Foundation
import HomelabCore
import Synchronization

/// Asks the operator one question at a time on the terminal: the one yes-or-no prompt of the
/// command line (approvals, certificates, whether to resume). Reading standard input blocks, so
/// it happens on a thread of its own, not the task pool; the live view hides while it waits.
final class TerminalPrompt: Sendable {
    private let asking = Mutex<RunPrinter?>(nil)

    /// The run's printer, once it exists (questions may be asked before, e.g. while connecting).
    func attach(_ printer: RunPrinter) {
        asking.withLock { $0 = printer }
    }

    /// The answer line, or nil at the end of input (nobody to ask). `defaultYes` is what an
    /// empty answer means, shown as `[Y/n]` instead of `[y/N]`.
    func ask(_ question: String, defaultYes: Bool = false) async -> String? {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [self] in
                let line: String? = asking.withLock { printer in
                    printer?.hideLiveView() // or the live view's redraws overwrite the question
                    defer { printer?.showLiveView() }
                    Terminal.err("\n? \(question) \(defaultYes ? "[Y/n]" : "[y/N]") ")
                    return readLine()
                }
                continuation.resume(returning: line)
            }
        }
    }

    /// Yes or no; the end of input is no.
    func confirm(_ question: String, defaultYes: Bool = false) async -> Bool {
        guard let answer = await ask(question, defaultYes: defaultYes) else { return false }
        return Self.isYes(answer, defaultYes: defaultYes)
    }

    static func isYes(_ answer: String, defaultYes: Bool = false) -> Bool {
        let word = answer.trimmingCharacters(in: .whitespaces).lowercased()
        return ["y", "yes"].contains(word) || (defaultYes && word.isEmpty)
    }
}
