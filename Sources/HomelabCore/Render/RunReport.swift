import Foundation

/// `homelab report`: a run as a Markdown document for the post-mortem or the DR drill record:
/// what ran, how long each step took, what failed and why, and the critical path.
public enum RunReport {
    /// The report of `status`; the critical path comes from planning the run's runbook again.
    /// `stateDirectory` is spelled out in the resume command (pass it when it was given explicitly).
    public static func markdown(_ status: RunStatus, stateDirectory: String? = nil, registry: ActionRegistry = .builtin) -> String {
        markdown(status, criticalPath: CriticalPath.of(status.timeline, registry: registry), stateDirectory: stateDirectory)
    }

    public static func markdown(_ status: RunStatus, criticalPath: Result<CriticalPath, CriticalPath.Unavailable>, stateDirectory: String? = nil) -> String {
        let timeline = status.timeline
        let header = status.header
        var out = "# Run report: \(Markdown.escape(header?.runbook ?? status.runID))\n\n"
        var facts: [(String, String)] = [
            ("Runbook", header.map { "\(Markdown.escape($0.runbook)) (\(Markdown.code($0.file)))" } ?? "unknown"),
            ("Run", Markdown.code(status.runID)),
            ("Host", Markdown.escape(header?.host ?? "unknown")),
            ("User", Markdown.escape(header?.user ?? "unknown")),
            ("Mode", header?.isDrill == true ? "drill" : "run"),
            ("Started", timeline.started.map(Timestamp.format) ?? "unknown"),
            ("Ended", ended(status)),
            ("Duration", duration(timeline)),
            ("Outcome", outcome(status, stateDirectory: stateDirectory)),
            ("Resumed", timeline.resumes == 0 ? "no" : PlanTextRenderer.count(timeline.resumes, "time")),
            ("Steps", RunStatusRenderer.counts(status)),
        ]
        if let params = header?.params, case .map(let pairs) = params, !pairs.isEmpty {
            facts.append(("Params", pairs.map { Markdown.code("\($0.0)=\($0.1.text)") }.joined(separator: ", ")))
        }
        for (label, value) in facts { out += "- **\(label):** \(value)\n" }

        out += "\n## Steps\n\n"
        out += "Times are since the start of the run; a duration runs from the first attempt to the end of the last one.\n\n"
        out += "| Step | Result | Attempts | Started | Duration | Error |\n|---|---|---:|---:|---:|---|\n"
        for step in timeline.steps {
            let started =
                (step.started ?? (step.state.isDone ? step.ended : nil)).flatMap { date in
                    timeline.started.map { "+" + ElapsedText.clock(RunTimeline.duration(from: $0, to: date)) }
                } ?? ""
            let cells = [
                Markdown.code(step.id), result(step, ended: status.progress), step.attempts == 0 ? "" : String(step.attempts), started,
                step.duration.map(ElapsedText.short) ?? "", step.error.map { Markdown.cell($0) } ?? "",
            ]
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }

        out += "\n## Failures\n\n"
        var sections: [String] = []
        for step in timeline.steps where !step.failures.isEmpty {
            var parts = ["### " + Markdown.code(step.id)]
            var earlier = step.failures[...]
            if let error = step.error {
                let attempt = step.failures.last.map { $0.attempt > 0 ? " (attempt \($0.attempt))" : " before any attempt" } ?? ""
                parts.append("Failed\(attempt):")
                parts.append(String(Markdown.block(error).dropLast()))
                earlier = earlier.dropLast()
                if !earlier.isEmpty { parts.append("Earlier attempts:") }
            } else {
                parts.append("Recovered (\(result(step, ended: status.progress))) after \(PlanTextRenderer.count(earlier.count, "failed attempt")):")
            }
            if !earlier.isEmpty {
                parts.append(
                    earlier.map { failure in
                        let when = timeline.started.map { " at +" + ElapsedText.clock(RunTimeline.duration(from: $0, to: failure.time)) } ?? ""
                        return "- attempt \(failure.attempt)\(when): \(Markdown.cell(failure.error, limit: 200))"
                    }.joined(separator: "\n"))
            }
            sections.append(parts.joined(separator: "\n\n"))
        }
        out += (sections.isEmpty ? "None." : sections.joined(separator: "\n\n")) + "\n"

        out += "\n## Critical path\n\n"
        switch criticalPath {
        case .failure(let unavailable):
            out += "Unavailable: \(Markdown.escape(unavailable.reason)).\n"
        case .success(let path):
            // Against the time the run was running: pauses between sessions are nobody's path.
            let running = timeline.resumes > 0 ? timeline.activeTime : timeline.duration ?? .zero
            let total = ElapsedText.milliseconds(running)
            let share =
                total > 0
                ? " (\(ElapsedText.milliseconds(path.total) * 100 / total)% of the run's \(ElapsedText.short(running))\(timeline.resumes > 0 ? " of running time" : ""))"
                : ""
            out += "The longest chain of dependencies by measured duration: \(ElapsedText.short(path.total))\(share).\n\n"
            for (number, link) in path.links.enumerated() {
                out += "\(number + 1). \(Markdown.code(link.step)): \(ElapsedText.short(link.duration))\n"
            }
            if let caveat = path.caveat { out += "\nNote: \(Markdown.escape(caveat)).\n" }
        }
        return out
    }

    private static func ended(_ status: RunStatus) -> String {
        switch status.progress {
        case .ended: status.timeline.ended.map(Timestamp.format) ?? "unknown"
        case .inProgress(_, alive: true): "still running"
        case .inProgress(_, alive: false): "not recorded (last event \(status.timeline.lastActivity.map(Timestamp.format) ?? "unknown"))"
        }
    }

    private static func duration(_ timeline: RunTimeline) -> String {
        guard let total = timeline.duration else { return "unknown" }
        var text = ElapsedText.short(total)
        if timeline.resumes > 0 { text += " (\(ElapsedText.short(timeline.activeTime)) running, over \(timeline.resumes + 1) sessions)" }
        return text
    }

    private static func outcome(_ status: RunStatus, stateDirectory: String?) -> String {
        var text = "**\(status.outcomeText)**"
        if let reason = status.timeline.stopReason { text += ": \(Markdown.escape(reason.text))" }
        if status.isResumable { text += "; resume with " + Markdown.code(ResumeHint.command(runID: status.runID, stateDirectory: stateDirectory)) }
        return text
    }

    private static func result(_ step: RunTimeline.Step, ended progress: RunStatus.Progress) -> String {
        switch step.state {
        case .pending: if case .ended = progress { "not run" } else { "pending" }
        case .running: if case .inProgress(_, alive: true) = progress { "running" } else { "cut off" }
        case .cutOff: "cut off"
        case .succeeded: "succeeded"
        case .satisfied(let why): "already satisfied: " + Markdown.cell(why, limit: 60)
        case .skipped(let why): "skipped: " + Markdown.cell(why, limit: 60)
        case .failed: "**failed**"
        }
    }
}
