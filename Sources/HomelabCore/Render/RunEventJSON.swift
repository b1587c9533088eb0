import Foundation

/// `run --json`: one compact object per update, one per line. Keys are stable (scripts read
/// them): `event` first, then the fields of that event, then `at` (UTC, milliseconds).
///
///     {"event":"runStarted","run":"ID","runbook":"demo","instances":12,"resumed":false,"at":"..."}
///     {"event":"stepRestored","step":"x","result":"succeeded","at":"..."}
///     {"event":"stepStarted","step":"x","attempt":1,"attempts":3,"at":"..."}
///     {"event":"stepMessage","step":"x","message":"...","at":"..."}
///     {"event":"stepRetrying","step":"x","attempt":1,"error":"...","retry_in_ms":5000,"at":"..."}
///     {"event":"stepFinished","step":"x","result":"succeeded","elapsed_ms":12,"at":"..."}
///     {"event":"planChanged","added":["d"],"removed":["b"],"changed":["c"],"removed_failed":["b"],"at":"..."}
///     {"event":"runStopping","reason":"...","at":"..."}
///     {"event":"runFinished","run":"ID","outcome":"failed","succeeded":3,"satisfied":0,"skipped":0,
///      "failed":1,"upstream_failed":2,"not_started":0,"restored":0,"stop_reason":"...","resume":"homelab resume ID","at":"..."}
///
/// A run that stopped at questions nobody could answer adds, before `at`, `approvals` (each with
/// `step`, `question` and `reason`: approval-step, destructive or interrupted) and `approve`,
/// the resume command with `--yes` that answers them.
///
/// `result` is succeeded, satisfied, skipped, failed, upstream-failed or not-started; a result
/// that has a reason adds `reason` (satisfied, skipped), `error` (failed) or `upstream` (the
/// failed step it depended on).
public enum RunEventJSON {
    public static func value(_ update: RunUpdate, at time: Date, stateDirectory: String? = nil) -> Value {
        var pairs: [(String, Value)]
        switch update {
        case .runStarted(let id, let runbook, let instances, let resumed):
            pairs = [
                ("event", .string("runStarted")), ("run", .string(id)), ("runbook", .string(runbook)), ("instances", .int(instances)),
                ("resumed", .bool(resumed)),
            ]
        case .stepRestored(let step, let result):
            pairs = [("event", .string("stepRestored")), ("step", .string(step))] + fields(result)
        case .stepStarted(let step, let attempt, let of):
            pairs = [("event", .string("stepStarted")), ("step", .string(step)), ("attempt", .int(attempt)), ("attempts", .int(of))]
        case .stepMessage(let step, let message):
            pairs = [("event", .string("stepMessage")), ("step", .string(step)), ("message", .string(message))]
        case .stepRetrying(let step, let attempt, let error, let after):
            pairs = [
                ("event", .string("stepRetrying")), ("step", .string(step)), ("attempt", .int(attempt)), ("error", .string(error)),
                ("retry_in_ms", .int(Int(ElapsedText.milliseconds(after)))),
            ]
        case .stepFinished(let step, let result, let elapsed):
            pairs =
                [("event", .string("stepFinished")), ("step", .string(step))] + fields(result) + [("elapsed_ms", .int(Int(ElapsedText.milliseconds(elapsed))))]
        case .runStopping(let reason):
            pairs = [("event", .string("runStopping")), ("reason", .string(reason.text))]
        case .runNotice(let message):
            pairs = [("event", .string("runNotice")), ("message", .string(message))]
        case .planChanged(let changes):
            pairs = [("event", .string("planChanged"))] + PlanChangesJSON.fields(changes)
        case .runFinished(let id, let outcome, let summary):
            pairs = [
                ("event", .string("runFinished")), ("run", .string(id)), ("outcome", .string(outcome.rawValue)),
                ("succeeded", .int(summary.succeeded)), ("satisfied", .int(summary.satisfied)), ("skipped", .int(summary.skipped)),
                ("failed", .int(summary.failed)), ("upstream_failed", .int(summary.upstreamFailed)), ("not_started", .int(summary.notStarted)),
                ("restored", .int(summary.restored)), ("stop_reason", summary.stopReason.map { .string($0.text) } ?? .null),
                ("resume", outcome == .succeeded ? .null : .string(ResumeHint.command(runID: id, stateDirectory: stateDirectory))),
            ]
            if !summary.approvals.isEmpty {
                pairs.append(
                    (
                        "approvals",
                        .list(
                            summary.approvals.map { approval in
                                .map([
                                    ("step", .string(approval.step)), ("question", .string(approval.question)), ("reason", .string(approval.reason.rawValue)),
                                ])
                            })
                    ))
                pairs.append(("approve", .string(ResumeHint.command(runID: id, stateDirectory: stateDirectory, approving: true))))
            }
        }
        pairs.append(("at", .string(Timestamp.format(time))))
        return .map(pairs)
    }

    /// `result` and the reason that goes with it.
    static func fields(_ result: StepResult) -> [(String, Value)] {
        switch result {
        case .succeeded: [("result", .string("succeeded"))]
        case .satisfied(let why): [("result", .string("satisfied")), ("reason", .string(why))]
        case .skipped(let why): [("result", .string("skipped")), ("reason", .string(why))]
        case .failed(let error): [("result", .string("failed")), ("error", .string(error))]
        case .upstreamFailed(let root): [("result", .string("upstream-failed")), ("upstream", .string(root))]
        case .notStarted: [("result", .string("not-started"))]
        }
    }
}
