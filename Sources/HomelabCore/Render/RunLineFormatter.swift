/// One update as the text of a progress line (the `.lines` view, the scrolling part of the live
/// view, and the run log). Failures are red, successes green; what needs no attention (restored,
/// skipped, not run because something upstream failed) is dim, so the root cause stands out.
struct RunLineFormatter: Sendable {
    let style: TextStyle
    /// Spelled out in the resume hint when the run is not in the default state directory.
    let stateDirectory: String?

    /// The lines for `update` (usually one; a multi-line error or message gives several),
    /// styled but without the time stamp. `elapsed` is the run's time so far, for the summary.
    func lines(for update: RunUpdate, elapsed: Duration) -> [String] {
        switch update {
        case .runStarted(let id, let runbook, let instances, let resumed):
            return [style.bold("\(resumed ? "resuming" : "starting") run \(id) of \(runbook): \(PlanTextRenderer.count(instances, "step"))")]
        case .stepRestored(let step, let result):
            return [style.dim("\(step) done earlier (\(Self.describe(result)))")]
        case .stepStarted(let step, let attempt, let of):
            return ["\(step) started" + (attempt > 1 ? " (attempt \(attempt) of \(of))" : "")]
        case .stepMessage(let step, let message):
            return Self.split(message).map { "\(style.dim(step + ":")) \($0)" }
        case .stepRetrying(let step, let attempt, let error, let after):
            return colored(Self.split("\(step) attempt \(attempt) failed: \(error)") + ["retrying in \(ElapsedText.short(after))"], style.yellow)
        case .stepFinished(let step, let result, let elapsed):
            return finished(step, result, elapsed)
        case .runStopping(let reason):
            return [style.yellow("stopping: \(reason.text)")]
        case .runNotice(let message):
            return Self.split(message).map { style.yellow("note: \($0)") }
        case .planChanged(let changes):
            return [style.yellow("the runbook changed since the run stopped: \(changes.text)")]
                + (changes.added.isEmpty && changes.changed.isEmpty ? [] : ["added and changed steps run, and everything downstream of them"])
        case .runFinished(let id, let outcome, let summary):
            return self.summary(runID: id, outcome: outcome, summary: summary, elapsed: elapsed)
        }
    }

    private func finished(_ step: String, _ result: StepResult, _ elapsed: Duration) -> [String] {
        switch result {
        case .succeeded: return [style.green("\(step) succeeded in \(ElapsedText.short(elapsed))")]
        case .satisfied(let why): return [style.green("\(step) already satisfied: \(why)")]
        case .skipped(let why): return [style.dim("\(step) skipped: \(why)")]
        case .failed(let error): return colored(Self.split("\(step) failed after \(ElapsedText.short(elapsed)): \(error)"), style.red)
        case .upstreamFailed(let root): return [style.dim("\(step) not run: '\(root)' failed")]
        case .notStarted: return [style.dim("\(step) not started")]
        }
    }

    /// `run ID failed after 4m12s: 5 succeeded, 1 failed, 4 not run; 2 done earlier` and, when
    /// the run did not succeed, why it stopped and the command that carries on.
    func summary(runID: String, outcome: RunOutcome, summary: RunSummary, elapsed: Duration) -> [String] {
        let head = "run \(runID) \(outcome.rawValue) after \(ElapsedText.short(elapsed)): \(Self.counts(summary))"
        guard outcome != .succeeded else { return [style.green(style.bold(head))] }
        let paint = outcome == .failed ? style.red : style.yellow
        let why = summary.stopReason.map { "stopped: \($0.text); " } ?? ""
        guard !summary.approvals.isEmpty else {
            return [paint(style.bold(head)), why + "resume with: " + ResumeHint.command(runID: runID, stateDirectory: stateDirectory)]
        }
        // Stopped at questions nobody could answer: show them, and the command that answers
        // yes (a plain resume without a terminal would stop at them again).
        var lines = [paint(style.bold(head)), summary.stopReason.map { "stopped: \($0.text)" } ?? "stopped"]
        for approval in summary.approvals {
            lines += Self.split("'\(approval.step)' asks (\(approval.reason.text)): \(approval.question)").map { "  " + $0 }
        }
        lines.append("to answer yes and carry on: " + ResumeHint.command(runID: runID, stateDirectory: stateDirectory, approving: true))
        lines.append("(or resume on a terminal to be asked: " + ResumeHint.command(runID: runID, stateDirectory: stateDirectory) + ")")
        return lines
    }

    /// The non-zero counts, succeeded always: `5 succeeded, 1 already satisfied, 1 failed, 4 not run; 2 done earlier`.
    static func counts(_ summary: RunSummary) -> String {
        var parts = ["\(summary.succeeded) succeeded"]
        if summary.satisfied > 0 { parts.append("\(summary.satisfied) already satisfied") }
        if summary.skipped > 0 { parts.append("\(summary.skipped) skipped") }
        if summary.failed > 0 { parts.append("\(summary.failed) failed") }
        let notRun = summary.upstreamFailed + summary.notStarted
        if notRun > 0 { parts.append("\(notRun) not run") }
        var text = parts.joined(separator: ", ")
        if summary.restored > 0 { text += "; \(summary.restored) done earlier" }
        return text
    }

    static func describe(_ result: StepResult) -> String {
        switch result {
        case .succeeded: "succeeded"
        case .satisfied(let why): "already satisfied: \(why)"
        case .skipped(let why): "skipped: \(why)"
        case .failed(let error): "failed: \(error)"
        case .upstreamFailed(let root): "not run: '\(root)' failed"
        case .notStarted: "not started"
        }
    }

    /// Lines of a text, without empty trailing ones (command output usually ends with one).
    static func split(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) }
        while lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    private func colored(_ lines: [String], _ paint: (String) -> String) -> [String] {
        lines.map(paint)
    }
}
