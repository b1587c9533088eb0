/// How long each step instance usually takes, learned from earlier runs of the same runbook:
/// the run's ETA comes from it.
public enum RunEstimates {
    /// Earlier runs looked at, newest first: enough for a stable median, few enough that a state
    /// directory with years of runs does not slow the start of a run.
    public static let runsConsidered = 10

    /// The median duration of the last attempt (stepStarted to stepSucceeded) per instance id,
    /// over the newest `runsConsidered` runs of `runbook` (the runbook's name) that succeeded at
    /// least one instance. Damaged journals are passed over: an estimate is not worth failing for.
    public static func estimates(runbook: String, history: RunHistory) -> [String: Duration] {
        var samples: [String: [Duration]] = [:]
        var considered = 0
        for id in history.state.runIDs().reversed() where considered < runsConsidered {
            guard let run = try? history.read(id), run.replay.header?.runbook == runbook else { continue }
            let timeline = RunTimeline(entries: run.entries)
            var learned = false
            for step in timeline.steps where step.state == .succeeded {
                guard let duration = step.lastAttemptDuration else { continue }
                samples[step.id, default: []].append(duration)
                learned = true
            }
            if learned { considered += 1 }
        }
        return samples.mapValues(median)
    }

    /// The middle value (the mean of the two middle ones for an even count); zero for none.
    public static func median(_ values: [Duration]) -> Duration {
        guard !values.isEmpty else { return .zero }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
