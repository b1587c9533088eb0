import Foundation

/// The block the live view keeps at the bottom of the terminal: a header with done/total and the
/// ETA, then one row per running instance (elapsed time, attempt when it is not the first, its
/// last message). Every row is cut to the terminal's width: a wrapped row would take two lines
/// and the next redraw would erase one too few.
struct LiveBlock {
    /// More running instances than this are summed up as "and N more".
    static let rowsShown = 12

    static func render(_ progress: RunProgress, now: Duration, eta: Duration?, style: TextStyle, width: Int) -> [String] {
        let width = max(20, width - 1)
        var parts: [(text: String, paint: (String) -> String)] = [
            ("\(progress.finished.count)/\(progress.total) done", style.bold), ("\(progress.running.count) running", style.bold),
        ]
        if progress.failed > 0 { parts.append(("\(progress.failed) failed", style.red)) }
        parts.append((eta.map { "ETA " + ElapsedText.short($0) } ?? "ETA unknown", style.bold))
        let plain = parts.map(\.text).joined(separator: " · ")
        var lines = [plain.count > width ? style.bold(cut(plain, width)) : parts.map { $0.paint($0.text) }.joined(separator: style.bold(" · "))]
        let shown = progress.order.prefix(rowsShown)
        let nameWidth = min(32, shown.map(\.count).max() ?? 0)
        for step in shown {
            guard let run = progress.running[step] else { continue }
            let name = step.count > nameWidth ? cut(step, nameWidth) : step.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            var text = "  \(name)  \(ElapsedText.clock(now - run.since))"
            if run.attempt > 1 { text += "  attempt \(run.attempt)/\(run.attempts)" }
            let fixed = cut(text, width)
            let room = width - fixed.count - 2
            if let message = run.message, room > 3 {
                lines.append(fixed + "  " + style.dim(cut(message, room)))
            } else {
                lines.append(fixed)
            }
        }
        if progress.order.count > rowsShown {
            lines.append(style.dim("  and \(progress.order.count - rowsShown) more"))
        }
        return lines
    }

    /// At most `width` characters, the last one an ellipsis when something was cut.
    static func cut(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        return String(text.prefix(max(0, width - 1))) + "…"
    }
}
