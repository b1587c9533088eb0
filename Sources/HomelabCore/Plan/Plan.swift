/// What a run would do: every step instance, in waves, with its inputs resolved as far as they
/// can be before running. Produced without side effects; rendered as text, JSON or a graph.
public struct Plan: Sendable {
    public var runbook: String
    public var description: String?
    public var file: String
    public var inventory: String?
    public var isDrill: Bool
    /// Param values in declaration order (a required param not given yet is deferred).
    public var params: [(String, Resolved)]
    public var secrets: [Secret]
    /// Step instances, ordered by wave, then declaration, then instance.
    public var steps: [PlannedStep]
    /// How many steps the runbook declares (before for-each).
    public var declaredSteps: Int
    public var defaultRetry: RetryPolicy
    public var defaultTimeout: Duration?
    /// The runbook's `notify:` section, its inputs resolved as far as a plan can.
    public var notify: PlannedNotify?
    /// What the probes found, by instance id (`homelab plan --probe` only).
    public var probes: [String: ProbeFinding] = [:]

    public var waveCount: Int { steps.map(\.wave).max() ?? 0 }

    /// Instance ids per wave, 1-based waves.
    public var waves: [[PlannedStep]] {
        var waves = [[PlannedStep]](repeating: [], count: waveCount)
        for step in steps { waves[step.wave - 1].append(step) }
        return waves
    }
}

public struct PlannedStep: Sendable {
    public enum Status: Sendable, Equatable {
        case planned
        /// `when:` can only be decided at run time.
        case conditional(String)
        case skipped(String)
    }

    public var instanceID: InstanceID
    /// `talos-vm[cp-1]` for a for-each instance, the step id otherwise.
    public var id: String { instanceID.text }
    public var step: String { instanceID.step }
    public var uses: String
    public var summary: String
    public var inputs: [(String, Resolved)]
    /// Instance ids this one waits for.
    public var needs: [String]
    public var wave: Int
    public var status: Status
    public var secrets: [String]
    public var retry: RetryPolicy
    public var timeout: Duration?
    public var serial: String?
    public var drill: Step.DrillMode?
    public var isFinally: Bool
    public var isDestructive: Bool
    public var isIdempotent: Bool
    /// The for-each item this instance runs for.
    public var item: Resolved?
    /// Changes when the step's definition or its plan-time inputs change: how resume tells
    /// which steps to run again.
    public var fingerprint: String = ""
}
