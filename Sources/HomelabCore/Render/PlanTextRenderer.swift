import Foundation

/// The plan as a readable tree for the operator reviewing it.
public enum PlanTextRenderer {
    /// How many needed steps are listed before "and N more".
    static let needsShown = 4
    /// An input value at least this long is written out once; later steps with the same value
    /// refer to the first (the inventory's `proxmox:` mapping filled the screen once per VM).
    static let longValue = 60

    public static func render(_ plan: Plan, style: TextStyle = .plain) -> String {
        var out = header(plan, style: style)
        var shown: [String: (step: String, input: String)] = [:]
        for (index, wave) in plan.waves.enumerated() {
            out += "\n" + style.bold("Wave \(index + 1)") + style.dim(" · \(count(wave.count, "step"))") + "\n"
            for (position, step) in wave.enumerated() {
                let last = position == wave.count - 1
                out += render(step, in: plan, branch: last ? "└─ " : "├─ ", rail: last ? "     " : "│    ", style: style, shown: &shown)
            }
        }
        out += "\n" + footer(plan) + "\n"
        return out
    }

    private static func header(_ plan: Plan, style: TextStyle) -> String {
        var out = style.bold("Plan: \(plan.runbook)") + style.dim(" (\(plan.file))") + "\n"
        if let description = plan.description { out += "  \(description)\n" }
        var rows: [(String, String)] = []
        rows.append(("inventory", plan.inventory ?? "none"))
        if !plan.params.isEmpty {
            rows.append(("params", plan.params.map { "\($0.0)=\(inline($0.1.display))" }.joined(separator: ", ")))
        }
        if !plan.secrets.isEmpty {
            let listed = plan.secrets.map { "\($0.name) (\($0.source.kind) \($0.source.reference))" }.joined(separator: ", ")
            rows.append(("secrets", listed + style.dim(plan.probes.isEmpty ? " — not read by plan" : " — read only for the probes, never shown")))
        }
        rows.append(("defaults", retryText(plan.defaultRetry) + ", timeout " + (plan.defaultTimeout.map(DurationText.format) ?? "none")))
        if let notify = plan.notify {
            let target = notify.inputs.first { $0.0 == "url" }.map { $0.1.display.text } ?? "?"
            let service = notify.inputs.first { $0.0 == "service" }.map { $0.1.display.text } ?? "notify"
            rows.append(("notify", "on " + notify.events.map(\.rawValue).joined(separator: ", ") + " → \(service) \(target)"))
        }
        rows.append(("mode", plan.isDrill ? "drill (sandbox; 'drill: never' steps skipped)" : "run ('drill: only' steps skipped)"))
        for (label, value) in rows {
            out += "  " + style.dim(label.padding(toLength: 10, withPad: " ", startingAt: 0)) + value + "\n"
        }
        return out
    }

    private static func render(
        _ step: PlannedStep, in plan: Plan, branch: String, rail: String, style: TextStyle,
        shown: inout [String: (step: String, input: String)]
    ) -> String {
        var tags: [String] = []
        if step.isDestructive { tags.append(style.red("destructive")) }
        if step.isFinally { tags.append("finally") }
        if let drill = step.drill { tags.append("drill: \(drill.rawValue)") }
        if let serial = step.serial { tags.append("serial: \(serial)") }
        // Only what differs from the runbook's defaults, which the header shows once.
        if step.retry != plan.defaultRetry { tags.append(retryText(step.retry)) }
        if step.timeout != plan.defaultTimeout { tags.append("timeout " + (step.timeout.map(DurationText.format) ?? "none")) }
        var line = "  " + branch + style.bold(step.id) + "  " + style.cyan(step.uses)
        if !tags.isEmpty { line += "  " + style.dim("[") + tags.joined(separator: style.dim(", ")) + style.dim("]") }
        var out = line + "\n"
        let prefix = "  " + rail
        switch step.status {
        case .planned: break
        case .conditional(let why): out += prefix + style.yellow("only if decided at run time: ") + why + "\n"
        case .skipped(let why): out += prefix + style.yellow("skipped: ") + why + "\n"
        }
        if !step.needs.isEmpty {
            var shown = step.needs.prefix(needsShown).joined(separator: ", ")
            if step.needs.count > needsShown { shown += " and \(step.needs.count - needsShown) more" }
            out += prefix + style.dim("after ") + shown + "\n"
        }
        if !step.summary.isEmpty { out += prefix + step.summary + "\n" }
        if let finding = plan.probes[step.id] { out += prefix + probeText(finding, style: style) + "\n" }
        for (name, value) in step.inputs {
            let text = inline(value.display)
            var written = text
            if text.count >= longValue {
                if let first = shown[text] {
                    written = style.dim(first.input == name ? "(the same as for \(first.step))" : "(the same as \(first.step)'s \(first.input))")
                } else {
                    shown[text] = (step.id, name)
                }
            }
            out += prefix + style.dim("\(name): ") + written + "\n"
        }
        return out
    }

    private static func probeText(_ finding: ProbeFinding, style: TextStyle) -> String {
        let detail = finding.detail.replacingOccurrences(of: "\n", with: " ")
        switch finding.state {
        case .done: return style.green("already done: ") + detail
        case .pending: return style.yellow("to do: ") + detail
        case .unknown: return style.dim("probe: ") + detail
        case .failed: return style.red("probe failed: ") + detail
        }
    }

    private static func footer(_ plan: Plan) -> String {
        let skipped = plan.steps.filter { if case .skipped = $0.status { true } else { false } }.count
        let conditional = plan.steps.filter { if case .conditional = $0.status { true } else { false } }.count
        let destructive = plan.steps.filter(\.isDestructive).count
        var parts = ["\(count(plan.declaredSteps, "step")) → \(count(plan.steps.count, "instance")) in \(count(plan.waveCount, "wave"))"]
        if destructive > 0 { parts.append("\(destructive) destructive") }
        if skipped > 0 { parts.append("\(skipped) skipped") }
        if conditional > 0 { parts.append("\(conditional) decided at run time") }
        if !plan.probes.isEmpty {
            let by = Dictionary(grouping: plan.probes.values, by: \.state).mapValues(\.count)
            var probed = ["\(by[.done] ?? 0) already done", "\(by[.pending] ?? 0) to change"]
            if let failed = by[.failed] { probed.append("\(failed) probes failed") }
            parts.append("probed: " + probed.joined(separator: ", "))
        }
        return parts.joined(separator: "; ") + (plan.probes.isEmpty ? ". Nothing was run." : ". Only read-only probes were run.")
    }

    /// A value on one line: scalars as they are, collections and multi-line text as JSON.
    static func inline(_ value: Value) -> String {
        if case .string(let text) = value, text.contains("\n") || text.isEmpty { return JSONWriter.compact(value) }
        return value.isScalar ? value.text : JSONWriter.compact(value)
    }

    static func retryText(_ retry: RetryPolicy) -> String {
        guard retry.attempts > 1 else { return "no retry" }
        return "\(retry.attempts) attempts (backoff \(DurationText.format(retry.backoff)), up to \(DurationText.format(retry.maxBackoff)))"
    }

    static func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}
