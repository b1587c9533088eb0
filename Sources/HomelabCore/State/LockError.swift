import Foundation

/// Why the run lock could not be taken or removed. Each message says what, where (`path` is the
/// lock file) and what to do next.
public enum LockError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another run holds the lock and is running (or runs on another host, where it cannot be checked).
    case held(LockHolder, path: String)
    /// `lock.json` names a run of this host that no process holds the lock for: it died without releasing it.
    case stale(LockHolder, path: String)
    /// `unlock` on a lock a running process of this host holds, or without `--force` on one from
    /// another host (which cannot be checked).
    case stillRunning(LockHolder, path: String, onThisHost: Bool)
    /// The lock file exists but cannot be understood; it is never taken silently.
    case unreadable(path: String, reason: String)
    /// A system call on the lock file failed: `operation` is what was attempted ("create", "remove").
    case io(path: String, operation: String, reason: String)

    public var description: String {
        switch self {
        case .held(let holder, _):
            return "another run holds the lock: \(holder); wait for it to finish or stop it"
        case .stale(let holder, let path):
            return "a stale lock from run \(holder.runID) of '\(holder.runbook)' by \(holder.user) since \(LockHolder.format(holder.since)) "
                + "(no process holds it any more; it was pid \(holder.pid) on this host) is in \(path); run '\(Self.unlockCommand(path))' to take it over"
        case .stillRunning(let holder, let path, onThisHost: true):
            return "the lock in \(path) belongs to \(holder), which is still running (its process holds the lock); stop that run first, "
                + "and the lock goes with it. Not even --force removes it: two runs at once can undo each other's work"
        case .stillRunning(let holder, let path, onThisHost: false):
            return "the lock in \(path) belongs to \(holder), another host, where this machine cannot tell whether it is still running; "
                + "check there, and if it is not, remove the lock with '\(Self.unlockCommand(path, force: true))'"
        case .unreadable(let path, let reason):
            return "the lock \(path) cannot be read (\(reason)); a run may have crashed while writing it. "
                + "If no run is active, remove it with '\(Self.unlockCommand(path))'"
        case .io(let path, let operation, let reason):
            return "cannot \(operation) the lock \(path): \(reason); check that the state directory exists and that you may write to it"
        }
    }

    /// The command that removes this lock, with the state directory spelled out so that it can be
    /// pasted as it is, whatever --state-dir or XDG_STATE_HOME the failed command used.
    private static func unlockCommand(_ lockPath: String, force: Bool = false) -> String {
        let directory = (lockPath as NSString).deletingLastPathComponent
        return "homelab unlock" + (force ? " --force" : "") + " --state-dir " + shellQuoted(directory)
    }

    private static func shellQuoted(_ text: String) -> String {
        let plain = text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || "/._-+:,@%=".utf8.contains(byte)
        }
        return plain && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
