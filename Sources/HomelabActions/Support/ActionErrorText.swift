/// A plain error with a message meant for the operator, for adapters below the action layer.
struct ActionErrorText: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
