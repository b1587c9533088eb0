import Foundation

/// `homelab history`: the runs of a state directory, newest first, one row each. A damaged
/// journal is a row that says so: skipping it would hide the run that most needs a look.
public enum RunHistoryRenderer {
    public typealias Row = Result<RunStatus, RunHistoryRenderer.Damaged>

    /// A run whose journal cannot be read.
    public struct Damaged: Error, Sendable {
        public var runID: String
        public var error: JournalError

        public init(runID: String, error: JournalError) {
            self.runID = runID
            self.error = error
        }
    }

    /// Every run of `history`, newest first, read against the lock as it is now.
    public static func rows(_ history: RunHistory) -> [Row] {
        let lock = RunLock.current(in: history.state)
        return history.state.runIDs().reversed().map { id in
            do throws(JournalError) {
                return .success(RunStatus(run: try history.read(id), journal: history.state.journalPath(id), lock: lock))
            } catch {
                return .failure(Damaged(runID: id, error: error))
            }
        }
    }

    public static func text(_ rows: [Row], style: TextStyle = .plain) -> String {
        let outcomeColumn = 4
        let titles = ["RUN", "RUNBOOK", "STARTED (UTC)", "DURATION", "OUTCOME", "DONE"]
        var table: [[String]] = []
        var damaged: [Int: String] = [:]
        for row in rows {
            switch row {
            case .success(let status):
                let timeline = status.timeline
                table.append([
                    status.runID, status.header?.runbook ?? "?", timeline.started.map(started) ?? "?",
                    timeline.duration.map(ElapsedText.short) ?? "?", outcome(status), "\(timeline.done)/\(timeline.total)",
                ])
            case .failure(let problem):
                damaged[table.count] = "damaged journal: \(problem.error.description)"
                table.append([problem.runID])
            }
        }
        var widths = titles.map(\.count)
        // A damaged row has only its id, which counts for the RUN column like any other: were
        // every journal damaged, the ids would otherwise be cut to the title's width.
        for cells in table {
            for (column, cell) in cells.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        /// Cells padded to their column; `paint` colours the outcome (padding is measured on
        /// the plain text).
        func line(_ cells: [String], paint: (String) -> String = { $0 }) -> String {
            cells.enumerated().map { column, cell in
                let padded = column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                return column == outcomeColumn ? paint(padded) : padded
            }.joined(separator: "  ")
        }
        var out = style.bold(line(titles)) + "\n"
        for (index, cells) in table.enumerated() {
            switch rows[index] {
            case .success(let status):
                out += line(cells, paint: RunStatusRenderer.paint(status, style)) + "\n"
            case .failure:
                out += cells[0].padding(toLength: widths[0], withPad: " ", startingAt: 0) + "  " + style.red(damaged[index] ?? "") + "\n"
            }
        }
        return out
    }

    public static func json(_ rows: [Row]) -> Value {
        .list(
            rows.map { row in
                switch row {
                case .success(let status):
                    let timeline = status.timeline
                    let time: (Date?) -> Value = { $0.map { .string(Timestamp.format($0)) } ?? .null }
                    return .map([
                        ("run", .string(status.runID)),
                        ("runbook", status.header.map { .string($0.runbook) } ?? .null),
                        ("started", time(timeline.started)),
                        ("ended", time(timeline.ended)),
                        ("duration_ms", timeline.duration.map { .int(Int(ElapsedText.milliseconds($0))) } ?? .null),
                        ("outcome", .string(status.outcomeName)),
                        ("alive", { if case .inProgress(_, let alive) = status.progress { .bool(alive) } else { .null } }()),
                        ("done", .int(timeline.done)),
                        ("total", .int(timeline.total)),
                        ("resumes", .int(timeline.resumes)),
                    ])
                case .failure(let problem):
                    return .map([
                        ("run", .string(problem.runID)),
                        ("outcome", .string("damaged")),
                        ("error", .string(problem.error.description)),
                        ("file", .string(problem.error.file)),
                        ("line", .int(problem.error.line)),
                    ])
                }
            })
    }

    /// `2026-11-27 08:47:00`: to the second, which is what a listing needs.
    static func started(_ date: Date) -> String {
        let stamp = Timestamp.format(date)
        return String(stamp.prefix(10)) + " " + String(stamp.dropFirst(11).prefix(8))
    }

    /// The outcome, or `in progress` / `in progress (dead)` for a run with no recorded end.
    static func outcome(_ status: RunStatus) -> String {
        switch status.progress {
        case .ended(let outcome): outcome.rawValue
        case .inProgress(_, let alive): alive ? "in progress" : "in progress (dead)"
        }
    }
}
