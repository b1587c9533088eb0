/// Which instance of a step: the step itself, one item of its `for-each`, or the placeholder that
/// stands for the items of a list known only at run time. Users read it as `step`, `step[key]`
/// and `step[*]`; the engine asks the cases, never the text.
public struct InstanceID: Sendable, Hashable, CustomStringConvertible {
    public enum Item: Sendable, Hashable {
        /// One item, named by its key (its `name`, `id`, scalar value or index).
        case key(String)
        /// All the items of a list the run evaluates when the step's turn comes.
        case atRunTime

        /// `*` for the run-time placeholder, the key otherwise (the plan's JSON `instance`).
        public var text: String {
            switch self {
            case .key(let key): key
            case .atRunTime: "*"
            }
        }
    }

    public let step: String
    /// nil for a step without `for-each` (or whose list gave no instance names).
    public let item: Item?

    public init(step: String, item: Item? = nil) {
        self.step = step
        self.item = item
    }

    /// `talos-vm[cp-1]`, `talos-vm[*]`, `check`.
    public var text: String { item.map { "\(step)[\($0.text)]" } ?? step }

    public var description: String { text }

    public var isRunTimePlaceholder: Bool { item == .atRunTime }

    /// Whether the instance named `id` (as journals and plans write it) is one of `step`'s.
    static func isInstance(_ id: String, of step: String) -> Bool {
        id == step || (id.hasPrefix(step + "[") && id.hasSuffix("]"))
    }
}
