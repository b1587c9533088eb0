/// Typed access to the fields of one parsed journal line, for `JournalCodec`; a missing or
/// mistyped required field is a problem naming it.
struct JournalLineReader {
    private let value: Value

    init(_ value: Value) {
        self.value = value
    }

    subscript(_ key: JournalField) -> Value? { value[key.rawValue] }

    func text(_ key: JournalField) throws(JournalError.Problem) -> String {
        guard case .string(let text)? = self[key] else { throw missing(key) }
        return text
    }

    func int(_ key: JournalField) throws(JournalError.Problem) -> Int {
        guard case .int(let number)? = self[key] else { throw missing(key) }
        return number
    }

    func bool(_ key: JournalField) throws(JournalError.Problem) -> Bool {
        guard case .bool(let flag)? = self[key] else { throw missing(key) }
        return flag
    }

    /// The pairs of an optional object; none when it is absent or not an object.
    func map(_ key: JournalField) -> [(String, Value)] {
        if case .map(let pairs)? = self[key] { return pairs }
        return []
    }

    private func missing(_ key: JournalField) -> JournalError.Problem {
        .init("missing or invalid '\(key.rawValue)'")
    }
}
