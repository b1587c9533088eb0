import Foundation

/// `homelab status`: where a run stands, what failed and why, what is in flight, and how to
/// carry on. Text for the operator, JSON for scripts.
public enum RunStatusRenderer {
    /// `stateDirectory` is spelled out in the resume command (pass it when it was given
    /// explicitly); `now` measures how long running steps have been at it.
    public static func text(_ status: RunStatus, style: TextStyle = .plain, stateDirectory: String? = nil, now: Date = Date()) -> String {
        let timeline = status.timeline
        var out = style.bold("Run \(status.runID): ") + paint(status, style)(status.outcomeText) + "\n"
        var rows: [(String, String)] = []
        if let header = status.header {
            rows.append(("runbook", "\(header.runbook) (\(header.file))" + (header.isDrill ? ", drill" : "")))
            rows.append(("started", "\(timeline.started.map(Timestamp.format) ?? "?") by \(header.user) on \(header.host)"))
        }
        switch status.progress {
        case .ended:
            rows.append(("ended", "\(timeline.ended.map(Timestamp.format) ?? "?")" + (timeline.duration.map { " after \(ElapsedText.short($0))" } ?? "")))
        case .inProgress(_, alive: true):
            rows.append(("running", timeline.started.map { "for " + ElapsedText.short(RunTimeline.duration(from: $0, to: now)) } ?? "?"))
        case .inProgress(_, alive: false):
            rows.append(("last event", timeline.lastActivity.map(Timestamp.format) ?? "?"))
        }
        if timeline.resumes > 0 { rows.append(("resumed", PlanTextRenderer.count(timeline.resumes, "time"))) }
        // The runbook changed between sessions: steps may have been dropped, failed ones too.
        for (resume, changes) in timeline.planChanges { rows.append(("changed", "at resume \(resume): \(changes.text)")) }
        rows.append(("steps", counts(status)))
        if let reason = timeline.stopReason { rows.append(("stopped", reason.text)) }
        rows.append(("journal", status.journal + (status.hadTornTail ? " (its last line was cut short)" : "")))
        for (label, value) in rows {
            out += "  " + style.dim(label.padding(toLength: 11, withPad: " ", startingAt: 0)) + value + "\n"
        }
        let failed = timeline.failed
        if !failed.isEmpty {
            out += "\n" + style.red(style.bold("Failed:")) + "\n"
            for step in failed {
                let attempt = step.failures.last.map { $0.attempt > 0 ? " (attempt \($0.attempt))" : "" } ?? ""
                let lines = RunLineFormatter.split(step.error ?? "")
                out += "  " + style.bold(step.id) + attempt + ": " + (lines.first ?? "") + "\n"
                for line in lines.dropFirst() { out += "    " + line + "\n" }
            }
        }
        let alive = if case .inProgress(_, alive: true) = status.progress { true } else { false }
        let inFlight = timeline.running + timeline.cutOff
        if !inFlight.isEmpty {
            out += "\n" + style.bold(alive ? "Running:" : "Was running when the run stopped:") + "\n"
            for step in inFlight {
                var line = "  " + step.id
                if alive, let started = step.started { line += " for " + ElapsedText.short(RunTimeline.duration(from: started, to: now)) }
                if step.attempts > 1 { line += " (attempt \(step.attempts))" }
                out += line + "\n"
            }
        }
        if status.isResumable {
            out += "\nResume with: " + ResumeHint.command(runID: status.runID, stateDirectory: stateDirectory) + "\n"
        }
        return out
    }

    public static func json(_ status: RunStatus, stateDirectory: String? = nil) -> Value {
        let timeline = status.timeline
        let header = status.header
        var pid: Value = .null
        var alive: Value = .null
        if case .inProgress(let running, let isAlive) = status.progress {
            pid = running.map { .int(Int($0)) } ?? .null
            alive = .bool(isAlive)
        }
        func time(_ date: Date?) -> Value { date.map { .string(Timestamp.format($0)) } ?? .null }
        func text(_ string: String?) -> Value { string.map(Value.string) ?? .null }
        let counts: [(String, Value)] = [
            ("total", .int(timeline.total)), ("done", .int(timeline.done)), ("failed", .int(timeline.failed.count)),
            ("pending", .int(timeline.pending)), ("running", .int(timeline.running.count)),
        ]
        let failed: [Value] = timeline.failed.map { step in
            .map([("step", .string(step.id)), ("attempt", .int(step.failures.last?.attempt ?? 0)), ("error", text(step.error))])
        }
        let inFlight: [Value] = (timeline.running + timeline.cutOff).map { step in
            .map([("step", .string(step.id)), ("attempt", .int(step.attempts)), ("since", time(step.started))])
        }
        let duration: Value = timeline.duration.map { .int(Int(ElapsedText.milliseconds($0))) } ?? .null
        let resume: Value = status.isResumable ? .string(ResumeHint.command(runID: status.runID, stateDirectory: stateDirectory)) : .null
        var pairs: [(String, Value)] = [
            ("run", .string(status.runID)), ("runbook", text(header?.runbook)), ("file", text(header?.file)),
            ("drill", .bool(header?.isDrill ?? false)), ("host", text(header?.host)), ("user", text(header?.user)),
        ]
        pairs += [
            ("started", time(timeline.started)), ("ended", time(timeline.ended)), ("last_event", time(timeline.lastActivity)),
            ("duration_ms", duration), ("resumes", .int(timeline.resumes)),
        ]
        pairs += [("outcome", .string(status.outcomeName)), ("pid", pid), ("alive", alive), ("stop_reason", text(timeline.stopReason?.text))]
        pairs += [("steps", .map(counts)), ("failed", .list(failed)), ("in_flight", .list(inFlight))]
        pairs += [("resume", resume), ("journal", .string(status.journal)), ("torn_tail", .bool(status.hadTornTail))]
        pairs.append(("plan_changes", .list(timeline.planChanges.map { .map([("resume", .int($0.resume))] + PlanChangesJSON.fields($0.changes)) })))
        return .map(pairs)
    }

    /// `7 of 12 done, 1 failed, 4 pending, 1 running`: the counts that are not zero. Pending
    /// instances of a run that ended are `not run`.
    static func counts(_ status: RunStatus) -> String {
        let timeline = status.timeline
        var parts = ["\(timeline.done) of \(timeline.total) done"]
        if !timeline.failed.isEmpty { parts.append("\(timeline.failed.count) failed") }
        if timeline.pending > 0 {
            let ended = if case .ended = status.progress { true } else { false }
            parts.append("\(timeline.pending) \(ended ? "not run" : "pending")")
        }
        if !timeline.running.isEmpty { parts.append("\(timeline.running.count) running") }
        return parts.joined(separator: ", ")
    }

    /// Green for success, red for failure, yellow for anything to look at.
    static func paint(_ status: RunStatus, _ style: TextStyle) -> (String) -> String {
        switch status.progress {
        case .ended(.succeeded): style.green
        case .ended(.failed): style.red
        default: style.yellow
        }
    }
}
