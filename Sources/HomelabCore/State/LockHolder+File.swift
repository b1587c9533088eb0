import Foundation

/// `lock.json` (and the name inside the flocked `lock`), written and read with homelab's own
/// JSON writer and parser: keys sorted, two-space indent, a newline at the end.
extension LockHolder {
    private enum Key: String {
        case host, pid
        case runID = "run-id"
        case runbook, since, user
    }

    public var fileContents: Data {
        let fields: [(Key, Value)] = [
            (.host, .string(host)), (.pid, .int(Int(pid))), (.runID, .string(runID)), (.runbook, .string(runbook)),
            (.since, .string(Self.format(since))), (.user, .string(user)),
        ]
        return Data(JSONWriter.prettyBytes(.map(fields.map { ($0.0.rawValue, $0.1) })) + [UInt8(ascii: "\n")])
    }

    /// Reads what any writer left (homelab, a hand, a script), field by field in the order homelab
    /// always checked them, so that a broken file is reported at the same fault as before.
    public init(fileContents: Data) throws(Unreadable) {
        guard let object = try? JSONParser.parse(bytes: Array(fileContents)), case .map = object else {
            throw Unreadable("not a JSON lock file")
        }
        func field(_ key: Key) throws(Unreadable) -> Value {
            guard let value = object[key.rawValue] else { throw Unreadable("no '\(key.rawValue)'") }
            return value
        }
        func text(_ key: Key) throws(Unreadable) -> String {
            guard case .string(let text) = try field(key) else { throw Unreadable("'\(key.rawValue)' has the wrong type") }
            return text
        }
        let host = try text(.host)
        guard case .int(let number) = try field(.pid), let pid = Int32(exactly: number) else { throw Unreadable("'pid' has the wrong type") }
        // kill(0) and kill(-1) address process groups: such a pid cannot be checked, only refused.
        guard pid > 0 else { throw Unreadable("'pid' must be a positive process id") }
        let runID = try text(.runID)
        let runbook = try text(.runbook)
        let user = try text(.user)
        let since = try text(.since)
        // Whole seconds is what homelab writes; fractional seconds are accepted from other writers.
        guard
            let date = (try? Date(since, strategy: Date.ISO8601FormatStyle()))
                ?? (try? Date(since, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        else {
            throw Unreadable("'since' '\(since)' is not an ISO 8601 time")
        }
        self.init(host: host, pid: pid, runID: runID, runbook: runbook, user: user, since: date)
    }
}
