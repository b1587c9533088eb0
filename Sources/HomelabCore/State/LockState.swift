/// What the lock file of a state directory says right now, for `status` and `unlock`.
public enum LockState: Sendable, Equatable {
    /// No lock: a run may start. (Not named `none`, which `Optional` would claim in `try?`.)
    case free
    /// A run holds the lock. `alive` is false only when the holder is known to be gone: no
    /// process holds the lock's flock, and `lock.json` names this host. A holder on another host
    /// counts as alive, since nothing here can check it.
    case held(LockHolder, alive: Bool)
    /// A lock file is there but says nothing usable (empty, not JSON, a field missing).
    case unreadable(reason: String)

    public var holder: LockHolder? {
        if case .held(let holder, _) = self { return holder }
        return nil
    }
}
