/// The plan as JSON for machines. The schema is documented in docs/plan-json.md; fields are only
/// ever added under the same `schema` tag, never renamed or removed.
public enum PlanJSONRenderer {
    public static let schema = "homelab.plan/v1"

    public static func render(_ plan: Plan) -> String {
        JSONWriter.pretty(value(plan)) + "\n"
    }

    public static func value(_ plan: Plan) -> Value {
        .map(
            [
                ("schema", .string(schema)),
                (
                    "runbook",
                    .map([
                        ("name", .string(plan.runbook)),
                        ("file", .string(plan.file)),
                        ("description", plan.description.map(Value.string) ?? .null),
                    ])
                ),
                ("inventory", plan.inventory.map(Value.string) ?? .null),
                ("mode", .string(plan.isDrill ? "drill" : "run")),
                ("params", .map(plan.params.map { ($0.0, $0.1.display) })),
                (
                    "secrets",
                    .list(
                        plan.secrets.map { secret in
                            .map([("name", .string(secret.name)), ("source", .string(secret.source.kind)), ("from", .string(secret.source.reference))])
                        })
                ),
                (
                    "summary",
                    .map([
                        ("steps", .int(plan.declaredSteps)),
                        ("instances", .int(plan.steps.count)),
                        ("waves", .int(plan.waveCount)),
                    ])
                ),
                (
                    "waves",
                    .list(
                        plan.waves.enumerated().map { index, steps in
                            .map([("wave", .int(index + 1)), ("steps", .list(steps.map { .string($0.id) }))])
                        })
                ),
                ("steps", .list(plan.steps.map { step($0, probe: plan.probes[$0.id]) })),
            ]
                + (plan.notify.map { notify in
                    [
                        (
                            "notify",
                            Value.map([
                                ("on", .list(notify.events.map { .string($0.rawValue) })),
                                ("inputs", .map(notify.inputs.map { ($0.0, $0.1.display) })),
                                ("secrets", .list(notify.secrets.map(Value.string))),
                            ])
                        )
                    ]
                } ?? []))
    }

    static func step(_ step: PlannedStep, probe: ProbeFinding?) -> Value {
        let (status, reason): (String, Value) =
            switch step.status {
            case .planned: ("planned", .null)
            case .conditional(let why): ("conditional", .string(why))
            case .skipped(let why): ("skipped", .string(why))
            }
        return .map([
            ("id", .string(step.id)),
            ("step", .string(step.step)),
            ("instance", step.instanceID.item.map { .string($0.text) } ?? .null),
            ("uses", .string(step.uses)),
            ("wave", .int(step.wave)),
            ("needs", .list(step.needs.map(Value.string))),
            ("status", .string(status)),
            ("reason", reason),
            ("does", step.summary.isEmpty ? .null : .string(step.summary)),
            ("inputs", .map(step.inputs.map { ($0.0, $0.1.display) })),
            ("secrets", .list(step.secrets.map(Value.string))),
            (
                "retry",
                .map([
                    ("attempts", .int(step.retry.attempts)),
                    ("backoff", .string(DurationText.format(step.retry.backoff))),
                    ("max-backoff", .string(DurationText.format(step.retry.maxBackoff))),
                ])
            ),
            ("timeout", step.timeout.map { .string(DurationText.format($0)) } ?? .null),
            ("serial", step.serial.map(Value.string) ?? .null),
            ("drill", step.drill.map { .string($0.rawValue) } ?? .null),
            ("finally", .bool(step.isFinally)),
            ("destructive", .bool(step.isDestructive)),
            ("idempotent", .bool(step.isIdempotent)),
            ("probe", probe.map { .map([("state", .string($0.state.rawValue)), ("detail", .string($0.detail))]) } ?? .null),
        ])
    }
}
