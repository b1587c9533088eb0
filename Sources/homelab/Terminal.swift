import Foundation
import HomelabCore

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
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Prints diagnostics and their count to standard error.
    static func report(_ diagnostics: Diagnostics, color: ColorChoice) {
        guard !diagnostics.isEmpty else { return }
        let style = style(color, for: STDERR_FILENO)
        err(DiagnosticRenderer.text(diagnostics, style: style))
        err(DiagnosticRenderer.summary(diagnostics) + "\n")
    }
}
