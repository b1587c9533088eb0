import Foundation

/// Who holds the run lock: what `lock.json` says, and what a refused run or `homelab unlock`
/// tells the operator.
///
/// In the file, `since` is an ISO 8601 string in UTC (`2026-11-27T08:47:00Z`) and keys are
/// kebab-case like the rest of homelab's JSON. `since` is kept to whole seconds, as the file
/// stores it, so that a holder read back equals the one written.
public struct LockHolder: Sendable, Equatable, Codable, CustomStringConvertible {
    public var host: String
    public var pid: Int32
    public var runID: String
    /// The runbook's name (its `runbook:` key), not its file.
    public var runbook: String
    public var user: String
    public var since: Date

    public init(host: String, pid: Int32, runID: String, runbook: String, user: String, since: Date) {
        self.host = host
        self.pid = pid
        self.runID = runID
        self.runbook = runbook
        self.user = user
        self.since = Date(timeIntervalSince1970: since.timeIntervalSince1970.rounded(.down))
    }

    /// This process, on this host, as the current user: the holder a run puts in its lock.
    public static func thisProcess(runID: String, runbook: String, since: Date = Date()) -> LockHolder {
        LockHolder(host: LocalHost.name, pid: LocalHost.processID, runID: runID, runbook: runbook, user: LocalHost.userName, since: since)
    }

    /// Whether the holder runs on this machine, where its pid can be checked.
    public var isOnThisHost: Bool {
        host == LocalHost.name
    }

    /// "run 20261127T084700Z-3f2a of 'recover-from-scratch' by alice on host pve-laptop, pid 4242, since 2026-11-27T08:47:00Z"
    public var description: String {
        "run \(runID) of '\(runbook)' by \(user) on host \(host), pid \(pid), since \(Self.format(since))"
    }

    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    enum CodingKeys: String, CodingKey {
        case host, pid, runID = "run-id", runbook, user, since
    }

    public init(from decoder: Decoder) throws {
        // Fields are read in the file's order, so that a broken file is reported at its first fault.
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let host = try container.decode(String.self, forKey: .host)
        let pid = try container.decode(Int32.self, forKey: .pid)
        // kill(0) and kill(-1) address process groups: such a pid cannot be checked, only refused.
        guard pid > 0 else {
            throw DecodingError.dataCorruptedError(forKey: .pid, in: container, debugDescription: "must be a positive process id")
        }
        let runID = try container.decode(String.self, forKey: .runID)
        let runbook = try container.decode(String.self, forKey: .runbook)
        let user = try container.decode(String.self, forKey: .user)
        let text = try container.decode(String.self, forKey: .since)
        // Whole seconds is what homelab writes; fractional seconds are accepted from other writers.
        guard let since = (try? Date(text, strategy: Date.ISO8601FormatStyle()))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        else {
            throw DecodingError.dataCorruptedError(forKey: .since, in: container, debugDescription: "'\(text)' is not an ISO 8601 time")
        }
        self.init(host: host, pid: pid, runID: runID, runbook: runbook, user: user, since: since)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(host, forKey: .host)
        try container.encode(pid, forKey: .pid)
        try container.encode(runID, forKey: .runID)
        try container.encode(runbook, forKey: .runbook)
        try container.encode(user, forKey: .user)
        try container.encode(Self.format(since), forKey: .since)
    }
}
