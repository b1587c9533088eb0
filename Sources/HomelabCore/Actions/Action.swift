/// One thing a step can do (`uses: proxmox.vm`). Every action declares its schema, answers a
/// read-only probe ("is this already done?") and performs its effect. One action per file.
public protocol Action: Sendable {
    var schema: ActionSchema { get }

    /// Read-only: is the step's effect already in place? Must never change anything.
    func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult

    /// Performs the effect and returns the declared outputs.
    func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value]

    /// One line for `plan` and dry runs: what the step would do with these inputs, beyond what
    /// the inputs already show (empty when there is nothing to add).
    func describe(_ inputs: [String: Value]) -> String

    /// Plan time: what is wrong with inputs only the action understands (a VM spec, a MAC, a
    /// CIDR). Gets the inputs whose values the plan knows (defaults applied); the planner reports
    /// each problem at the place the wrong part was written, in the runbook or the inventory,
    /// so `validate` and `plan` say it before anything runs. Must be cheap and read nothing.
    func validate(_ inputs: [String: Value]) -> [InputProblem]
}

extension Action {
    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult { .notSatisfied }

    public func describe(_ inputs: [String: Value]) -> String { schema.summary }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] { [] }
}

/// The resolved inputs of one step instance.
public struct ActionCall: Sendable {
    public var step: String
    public var inputs: [String: Value]
    /// 1 for the first try, 2 for the first retry, and so on.
    public var attempt: Int

    public init(step: String, inputs: [String: Value], attempt: Int = 1) {
        self.step = step
        self.inputs = inputs
        self.attempt = attempt
    }

    public func string(_ name: String) -> String? {
        inputs[name].flatMap { $0.isScalar && $0 != .null ? $0.text : nil }
    }

    /// A duration input, nil when not given. One with a default in the schema is always given
    /// (see `ActionSchema.defaulted`).
    public func duration(_ name: String) throws -> Duration? {
        guard let text = string(name) else { return nil }
        guard let duration = DurationText.parse(text) else {
            throw ActionError("'\(name)' must be a duration such as 30s or 10m, found '\(text)'")
        }
        return duration
    }

    /// A duration input the schema gives a default, so it is there once defaults are applied.
    public func duration(defaulted name: String) throws -> Duration {
        guard let duration = try duration(name) else { throw ActionError("'\(name)' has no value and its action declares no default") }
        return duration
    }
}

public enum ProbeResult: Sendable, Equatable {
    case satisfied(String)
    case notSatisfied
    /// Not done, and the probe can say what a run would change (drift, a missing VM): shown by
    /// `homelab plan --probe`; a run treats it as `notSatisfied`.
    case wouldChange(String)
}

/// What an action may use while it runs. Dependencies arrive here, never through singletons.
public protocol ActionContext: Sendable {
    /// A progress message for the operator (the engine's observer decides how to show it).
    func report(_ message: String)
    /// Asks a human to approve; returns who approved, or throws when the gate stays closed.
    func approve(_ message: String) async throws -> String
    /// The engine's clock: how long a wait has taken, timeouts and pauses all go through it, so
    /// an action never reads the real clock itself and tests can run its waits in virtual time.
    var clock: any RunClock { get }
    /// Waits on the engine's clock (tests inject one that does not really wait).
    func sleep(for duration: Duration) async throws
    /// Runs programs on the operator's machine, their output spooled where only this run's
    /// user can read it.
    var processes: any LocalProcess { get }
}

extension ActionContext {
    public func sleep(for duration: Duration) async throws {
        try await clock.sleep(for: duration)
    }

    /// Contexts whose actions run no program need not say so.
    public var processes: any LocalProcess { NoLocalProcess() }
}

/// Errors actions throw, carrying what the operator needs to act on them.
public struct ActionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// Whether trying again may help (a timeout, a busy lock) or not (bad input, refused).
    public var isRetryable: Bool

    public init(_ message: String, retryable: Bool = false) {
        self.message = message
        self.isRetryable = retryable
    }

    public var description: String { message }
}
