import Foundation
import Synchronization

/// The engine's sense of time: how long since the run started, and a way to wait. Retries,
/// timeouts and the deadline all go through it, so tests can run them without real waiting.
public protocol RunClock: Sendable {
    /// Time elapsed since the clock was made.
    var elapsed: Duration { get }
    /// The wall-clock time, for what is named or dated by it (a snapshot's name, a backup's age).
    var now: Date { get }
    func sleep(for duration: Duration) async throws
    /// Runs `body`, cancelling it and throwing `TimedOut` once `limit` has passed.
    func timeout<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T
}

/// Real time.
public struct LiveClock: RunClock {
    private let start = ContinuousClock.now

    public init() {}

    public var elapsed: Duration { ContinuousClock.now - start }

    public var now: Date { Date() }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }

    public func timeout<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            if let first = try await group.next(), let value = first { return value }
            // Time is up: cancel the body and wait for it to end (a local program is stopped
            // with SIGTERM, then SIGKILL), so nothing of the attempt outlives it; say how it ended.
            group.cancelAll()
            do {
                _ = try await group.next()
            } catch let stopped as ProcessStopped {
                throw TimedOut(limit: limit, stopped: stopped.description)
            } catch {}
            throw TimedOut(limit: limit)
        }
    }
}

/// Virtual time for tests: sleeping returns at once and moves the clock forward; every sleep
/// is recorded.
public final class VirtualClock: RunClock {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))
    private let enforcesTimeouts: Bool
    private let start: Date

    /// With `enforcesTimeouts`, a body that took more virtual time than its limit throws
    /// `TimedOut` when it ends, as if the timer had fired (the clock is not wound back): time-outs
    /// tested without real waiting, for bodies that end.
    /// The wall clock reads `start` plus the virtual time elapsed.
    public init(enforcesTimeouts: Bool = false, start: Date = Date(timeIntervalSince1970: 1_796_601_600)) {
        self.enforcesTimeouts = enforcesTimeouts
        self.start = start
    }

    public var elapsed: Duration { state.withLock { $0.now } }
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    public var now: Date { start.addingTimeInterval(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) }

    public func advance(by duration: Duration) {
        state.withLock { $0.now += duration }
    }

    /// Virtual time has no racing timer: the body runs to its end (see `enforcesTimeouts`).
    public func timeout<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let start = elapsed
        let value = try await body()
        if enforcesTimeouts && elapsed - start > limit { throw TimedOut(limit: limit) }
        return value
    }

    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.now += duration
            $0.sleeps.append(duration)
        }
        await Task.yield()
    }
}
