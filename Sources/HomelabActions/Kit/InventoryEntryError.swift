import HomelabCore

/// A wrong value in an inventory entry, naming the key, so a plan-time check (`Action.validate`)
/// can point at the key's line and column in the inventory.
struct InventoryEntryError: Error, Sendable, CustomStringConvertible {
    /// The key whose value is wrong; nil when the entry as a whole is (not a mapping, no vmid).
    var key: String?
    var message: String

    var description: String { message }

    /// The same mistake as one of the action's `input`.
    func problem(in input: String) -> InputProblem {
        InputProblem(input: input, path: key.map { [.key($0)] } ?? [], message)
    }
}
