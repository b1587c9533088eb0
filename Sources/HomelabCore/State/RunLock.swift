import Foundation

/// One run per state directory at a time.
///
/// Whether a run is active is the kernel's answer: the run holds an advisory lock (flock(2)) on
/// `STATE/lock` for as long as it goes on, and the kernel drops it when the process ends, however
/// it ends. Deleting or overwriting `lock.json` therefore cannot let a second run in beside a
/// live one, and a lock whose process is gone is stale even if its pid was reused.
///
/// `lock.json` names the holder (host, pid, run id, runbook, user, start time), so that a refused
/// run can say who is in the way, and it stays behind when a run dies: the next run reports it as
/// stale (`homelab unlock` removes it; `resume` of that same run takes it over). The holder also
/// writes the same JSON into `STATE/lock`, where a refused run finds it even if `lock.json` was
/// deleted. `lock.json` is written atomically: to a temporary file, fsynced, and linked into place
/// with link(2), so that nobody ever reads a half-written one; an empty or broken `lock.json` can
/// only come from outside and is refused as unreadable rather than taken. (Where the filesystem
/// has no hard links, it is created directly with O_CREAT|O_EXCL.)
///
/// A holder on another host (a state directory on a network filesystem, where flock may not
/// reach) cannot be checked from here and counts as alive.
public final class RunLock: Sendable {
    public let state: StateDirectory
    public let holder: LockHolder
    /// The exact bytes written: `release` removes `lock.json` only while it still holds them.
    private let contents: Data
    private let kernel: FlockFile

    private init(state: StateDirectory, holder: LockHolder, contents: Data, kernel: FlockFile) {
        self.state = state
        self.holder = holder
        self.contents = contents
        self.kernel = kernel
    }

    /// Takes the lock for `holder`, or says why not: `.held` (a run is using it), `.stale` (its
    /// run died on this host; `homelab unlock` removes it), `.unreadable`, `.io`. The state
    /// directory must exist (`StateDirectory.prepare`).
    public static func acquire(in state: StateDirectory, holder: LockHolder) throws(LockError) -> RunLock {
        let path = state.lockPath
        let contents = encode(holder)
        let kernel = try takeFlock(state)
        // From here on no other run is active: a lock.json found now was left by one that died.
        do throws(LockError) {
            switch inspect(path).state {
            case .free: break
            case .held(let other, _) where other.isOnThisHost: throw .stale(other, path: path)
            case .held(let other, _): throw .held(other, path: path)
            case .unreadable(let reason): throw .unreadable(path: path, reason: reason)
            }
            do throws(LockFile.Failure) { try kernel.write(contents) } catch { throw .io(path: state.flockPath, operation: "write", reason: error.reason) }
            guard try create(path, contents: contents) else {
                // Written from outside between the look and the link (by hand, or by a homelab
                // that does not take the flock): judged like any lock found.
                throw inspect(path).state.holder.map { LockError.stale($0, path: path) }
                    ?? .unreadable(path: path, reason: "it appeared while the lock was being taken")
            }
        } catch {
            kernel.release()
            throw error
        }
        return RunLock(state: state, holder: holder, contents: contents, kernel: kernel)
    }

    /// Removes `lock.json` if it is still ours, then drops the flock. Returns whether
    /// `lock.json` was removed. Failures are not thrown: a lock file left behind, held by no
    /// process, is reported as stale by the next run.
    @discardableResult
    public func release() -> Bool {
        let removed = (try? LockFile.remove(state.lockPath, ifContents: contents)) == .removed
        kernel.release()
        return removed
    }

    /// Where the lock stands now. Never throws: a file that cannot be read is reported as such.
    public static func current(in state: StateDirectory) -> LockState {
        let kernel = liveHolder(state)
        let file = inspect(state.lockPath).state
        if kernel.held, let holder = kernel.holder ?? file.holder { return .held(holder, alive: true) }
        if case .held(let holder, _) = file { return .held(holder, alive: !holder.isOnThisHost) }
        return file
    }

    /// `homelab unlock`: removes a `lock.json` that no running process holds. A lock held on this
    /// host is never removed, `force` or not: the file is not what keeps other runs out, and the
    /// run goes on until it ends. A lock from another host, which cannot be checked from here,
    /// takes `force`. Returns what was removed: `.free` when there was no lock.
    public static func unlock(in state: StateDirectory, force: Bool) throws(LockError) -> LockState {
        let path = state.lockPath
        for _ in 0..<3 {
            let kernel = liveHolder(state)
            let (found, contents) = inspect(path)
            if kernel.held {
                guard let holder = kernel.holder ?? found.holder else {
                    throw .io(path: state.flockPath, operation: "remove", reason: "a running process holds it")
                }
                throw .stillRunning(holder, path: path, onThisHost: true)
            }
            guard let contents else { return .free }
            var state = found
            if case .held(let holder, _) = found {
                if !holder.isOnThisHost && !force { throw .stillRunning(holder, path: path, onThisHost: false) }
                state = .held(holder, alive: !holder.isOnThisHost)
            }
            do throws(LockFile.Failure) {
                switch try LockFile.remove(path, ifContents: contents) {
                case .removed: return state
                case .missing: return .free
                case .changed: continue // rewritten meanwhile: judge the new one
                }
            } catch {
                throw .io(path: path, operation: "remove", reason: error.reason)
            }
        }
        throw .io(path: path, operation: "remove", reason: "it kept changing while being removed; try again")
    }

    /// Removes the lock whatever its state, except one a running process on this host holds;
    /// returns who held it (nil when there was no lock or it could not be read).
    @discardableResult
    public static func forceUnlock(in state: StateDirectory) throws(LockError) -> LockHolder? {
        try unlock(in: state, force: true).holder
    }

    // MARK: - The kernel's lock

    /// How long a refused run waits for the holder's name: a run writes it an instant after
    /// taking the flock, and `status` holds a shared flock for an instant while it looks.
    private static let namingTries = 50
    private static let namingPause: useconds_t = 10_000

    /// The flock of `state`, or `.held` naming whoever holds it.
    private static func takeFlock(_ state: StateDirectory) throws(LockError) -> FlockFile {
        for _ in 0..<namingTries {
            do throws(LockFile.Failure) {
                if let taken = try FlockFile.take(state.flockPath) { return taken }
            } catch {
                throw .io(path: state.flockPath, operation: "open", reason: error.reason)
            }
            let kernel = FlockFile.holder(state.flockPath)
            if kernel.held, let holder = kernel.name.flatMap(decode) { throw .held(holder, path: state.lockPath) }
            usleep(namingPause)
        }
        // Held all along without a readable name: lock.json may still say who.
        if let holder = inspect(state.lockPath).state.holder { throw .held(holder, path: state.lockPath) }
        throw .io(path: state.flockPath, operation: "lock", reason: "another process holds it and has not said who; try again")
    }

    /// Whether a process holds the flock now, and who it says it is (waiting briefly for a name
    /// not yet written).
    private static func liveHolder(_ state: StateDirectory) -> (held: Bool, holder: LockHolder?) {
        var kernel = FlockFile.holder(state.flockPath)
        for _ in 0..<namingTries where kernel.held && kernel.name.flatMap(decode) == nil {
            usleep(namingPause)
            kernel = FlockFile.holder(state.flockPath)
        }
        return (kernel.held, kernel.name.flatMap(decode))
    }

    private static func decode(_ data: Data) -> LockHolder? {
        try? LockHolder(fileContents: data)
    }

    // MARK: - The file

    private static func encode(_ holder: LockHolder) -> Data {
        holder.fileContents
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

    /// What `lock.json` says and the bytes it was judged on (nil when there is no file).
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
            holder = try LockHolder(fileContents: contents)
        } catch {
            return (.unreadable(reason: error.reason), contents)
        }
        // What the file alone can tell: whether the holder lives is the flock's to say.
        return (.held(holder, alive: !holder.isOnThisHost), contents)
    }
}
