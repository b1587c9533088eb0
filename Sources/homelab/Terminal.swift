import Foundation
import HomelabCore
import Synchronization

/// Where the commands print: standard output for results, standard error for diagnostics.
enum Terminal {
    static func style(_ choice: ColorChoice, for fd: Int32) -> TextStyle {
        switch choice {
        case .always: return .color
        case .never: return .plain
        case .auto:
            return .automatic(isTerminal: isatty(fd) == 1, environment: ProcessInfo.processInfo.environment)
        }
    }

    static func out(_ text: String) {
        put(text, to: STDOUT_FILENO)
    }

    static func err(_ text: String) {
        put(text, to: STDERR_FILENO)
    }

    /// Standard streams whose reader has gone (EPIPE, SIGPIPE being ignored): nothing more is
    /// written to them, quietly, while the run goes on to its end, journal and lock included.
    private static let closed = Mutex<Set<Int32>>([])

    /// write(2) itself: FileHandle.write traps on EPIPE.
    private static func put(_ text: String, to descriptor: Int32) {
        guard !closed.withLock({ $0.contains(descriptor) }) else { return }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            if written < 0 {
                if errno == EPIPE { closed.withLock { _ = $0.insert(descriptor) } }
                return
            }
            bytes = bytes.dropFirst(written)
        }
    }

    /// Prints diagnostics and their count to standard error.
    static func report(_ diagnostics: Diagnostics, color: ColorChoice) {
        guard !diagnostics.isEmpty else { return }
        let style = style(color, for: STDERR_FILENO)
        err(DiagnosticRenderer.text(diagnostics, style: style))
        err(DiagnosticRenderer.summary(diagnostics) + "\n")
    }
}
