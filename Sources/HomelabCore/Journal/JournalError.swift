/// A journal that cannot be trusted. Reported with the file and line, never skipped silently:
/// resuming from a damaged history could repeat or skip steps.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Error, Sendable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    public var file: String
    public var line: Int
    public var message: String

    public var description: String {
        line > 0 ? "\(file):\(line): journal is damaged: \(message)" : "\(file): \(message)"
    }
}
