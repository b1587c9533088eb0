import Foundation

/// Who holds the run lock: what `lock.json` says, and what a refused run or `homelab unlock`
/// tells the operator.
///
/// In the file (`LockHolder+File.swift`), `since` is an ISO 8601 string in UTC
/// (`2026-11-27T08:47:00Z`) and keys are kebab-case like the rest of homelab's JSON. `since` is
/// kept to whole seconds, as the file stores it, so that a holder read back equals the one written.
public struct LockHolder: Sendable, Equatable, CustomStringConvertible {
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
}
