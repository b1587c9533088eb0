import Foundation

/// One run per state directory at a time. The lock is `lock.json` in the state directory and
/// names its holder (host, pid, run id, runbook, user, start time), so that a refused run can say
/// who is in the way, and a lock left by a run that died can be told from one still in use.
///
/// Taking the lock is atomic: the holder is written to a temporary file, fsynced, and linked to
/// `lock.json` with link(2), which fails when `lock.json` exists. Of several racing runs exactly
/// one wins, and none ever sees a half-written lock: an empty or broken `lock.json` can only come
/// from outside, so it is refused as unreadable rather than taken. (Where the filesystem has no
/// hard links, `lock.json` is created directly with O_CREAT|O_EXCL.)
public final class RunLock: Sendable {
    public let state: StateDirectory
    public let holder: LockHolder
    /// The exact bytes written: `release` removes the lock only while it still holds them.
    private let contents: Data

    private init(state: StateDirectory, holder: LockHolder, contents: Data) {
        self.state = state
        self.holder = holder
        self.contents = contents
    }

    /// Takes the lock for `holder`, or says why not: `.held` (a run is using it), `.stale` (its
    /// run died on this host; `homelab unlock` removes it), `.unreadable`, `.io`. The state
    /// directory must exist (`StateDirectory.prepare`).
    public static func acquire(in state: StateDirectory, holder: LockHolder) throws(LockError) -> RunLock {
        let path = state.lockPath
        let contents = encode(holder)
        // A holder may release between our failed create and our read: then the lock is free
        // again and we try once more.
        for _ in 0..<3 {
            if try create(path, contents: contents) {
                return RunLock(state: state, holder: holder, contents: contents)
            }
            switch inspect(path).state {
            case .free: continue
            case .held(let other, alive: true): throw .held(other, path: path)
            case .held(let other, alive: false): throw .stale(other, path: path)
            case .unreadable(let reason): throw .unreadable(path: path, reason: reason)
            }
        }
        throw .io(path: path, operation: "create", reason: "other runs kept taking and releasing it; try again")
    }

    /// Removes the lock if it is still ours. After `homelab unlock --force` it may belong to
    /// another run by now, which keeps it. Returns whether a lock was removed. Failures are not
    /// thrown: a lock left behind names a process that is gone, which the next run reports as
    /// stale.
    @discardableResult
    public func release() -> Bool {
        (try? LockFile.remove(state.lockPath, ifContents: contents)) == .removed
    }

    /// What the lock file says now. Never throws: a file that cannot be read is reported as such.
    public static func current(in state: StateDirectory) -> LockState {
        inspect(state.lockPath).state
    }

    /// `homelab unlock`: removes the lock unless its run is still running (on this host, or on
    /// another host where that cannot be checked), which takes `force`. Returns what was removed:
    /// `.free` when there was no lock.
    public static func unlock(in state: StateDirectory, force: Bool) throws(LockError) -> LockState {
        let path = state.lockPath
        for _ in 0..<3 {
            let (found, contents) = inspect(path)
            guard let contents else { return .free }
            if case .held(let holder, alive: true) = found, !force {
                throw .stillRunning(holder, path: path, onThisHost: holder.isOnThisHost)
            }
            do throws(LockFile.Failure) {
                switch try LockFile.remove(path, ifContents: contents) {
                case .removed: return found
                case .missing: return .free
                case .changed: continue  // another run took it meanwhile: judge the new lock
                }
            } catch {
                throw .io(path: path, operation: "remove", reason: error.reason)
            }
        }
        throw .io(path: path, operation: "remove", reason: "it kept changing while being removed; try again")
    }

    /// Removes the lock whatever its state; returns who held it (nil when there was no lock or it
    /// could not be read).
    @discardableResult
    public static func forceUnlock(in state: StateDirectory) throws(LockError) -> LockHolder? {
        try unlock(in: state, force: true).holder
    }

    // MARK: - The file

    private static func encode(_ holder: LockHolder) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Strings, an integer and a formatted date: encoding cannot fail.
        return (try! encoder.encode(holder)) + Data("\n".utf8)
    }

    /// Writes the lock under a temporary name and links it into place (see the type's comment).
    /// Returns false when a lock is already there.
    private static func create(_ path: String, contents: Data) throws(LockError) -> Bool {
        let temporary = path + ".\(LocalHost.processID)-\(UUID().uuidString).tmp"
        do throws(LockFile.Failure) {
            guard try LockFile.createExclusive(temporary, contents: contents) else {
                throw LockFile.Failure(EEXIST)
            }
            defer { unlink(temporary) }
            switch try LockFile.hardLink(temporary, to: path) {
            case .linked: return true
            case .exists: return false
            case .unsupported: return try LockFile.createExclusive(path, contents: contents)
            }
        } catch {
            throw .io(path: path, operation: "create", reason: error.reason)
        }
    }

    /// The lock's state and the bytes it was judged on (nil when there is no file).
    private static func inspect(_ path: String) -> (state: LockState, contents: Data?) {
        let contents: Data?
        do {
            contents = try LockFile.contents(of: path)
        } catch {
            return (.unreadable(reason: error.reason), Data())
        }
        guard let contents else { return (.free, nil) }
        guard !contents.isEmpty else { return (.unreadable(reason: "the file is empty"), contents) }
        let holder: LockHolder
        do {
            holder = try JSONDecoder().decode(LockHolder.self, from: contents)
        } catch {
            return (.unreadable(reason: reason(error)), contents)
        }
        let alive = !holder.isOnThisHost || LocalHost.isRunning(holder.pid)
        return (.held(holder, alive: alive), contents)
    }

    /// A decoding error in a few words: which field, what is wrong.
    private static func reason(_ error: Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?:
            return "no '\(key.stringValue)'"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case .dataCorrupted(let context)? where !context.codingPath.isEmpty:
            return "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' \(context.debugDescription)"
        default:
            return "not a JSON lock file"
        }
    }
}
