import Synchronization

/// How the outside (signal handlers, tests) asks a running engine to stop scheduling. Steps that
/// are running finish; cancelling the run's task stops them too.
public final class RunControl: Sendable {
    private let reason = Mutex<StopReason?>(nil)

    public init() {}

    public func requestStop(_ why: StopReason) {
        reason.withLock { if $0 == nil { $0 = why } }
    }

    public var stopReason: StopReason? { reason.withLock { $0 } }
}
