/// What `${...}` can see while a step is evaluated.
public struct Scope: Sendable {
    /// Param values; a param without a value yet (required, not given) evaluates as deferred.
    public var params: [String: Value?]
    public var inventory: Value?
    /// The inventory was named but could not be loaded: reads of it are left open, not reported again.
    public var inventoryFailed = false
    /// storage/ (`StorageConfig.value`), when the runbook reads it.
    public var storage: Value?
    /// storage/ was read but has errors (already reported): reads of it are left open.
    public var storageFailed = false
    public var secrets: Set<String>
    /// Declared outputs of each step, by step id; nil when the step's action is unknown.
    public var stepOutputs: [String: [String]?]
    /// The for-each item, inside a for-each step.
    public var item: Resolved?
    /// The step being evaluated (a step cannot read its own outputs).
    public var step: String?
    /// At run time: outputs of finished steps, by step id (for a for-each step, each output is
    /// the list of its instances' values, in instance order).
    public var outputs: [String: Value] = [:]
    /// At run time: the values of the secrets the step reads. A plan never has them.
    public var secretValues: [String: String]?

    public init(
        params: [String: Value?] = [:], inventory: Value? = nil, secrets: Set<String> = [], stepOutputs: [String: [String]?] = [:], item: Resolved? = nil,
        step: String? = nil
    ) {
        self.params = params
        self.inventory = inventory
        self.secrets = secrets
        self.stepOutputs = stepOutputs
        self.item = item
        self.step = step
    }

    public static let roots = ["params", "inventory", "storage", "secrets", "steps", "item"]
}
