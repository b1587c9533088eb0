import CSSH2
import Foundation

/// The one thread that makes every libssh2 call of a connection (sessions are not thread-safe).
/// Async callers hand it jobs and await their results; while idle it sends keepalives.
final class SSHConnectionThread: @unchecked Sendable {
    typealias Job = @Sendable (SSHSessionState) -> Void

    let wake: SSHWakePipe
    let endpoint: String
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var stopping = false

    init(endpoint: String) throws {
        self.endpoint = endpoint
        wake = try SSHWakePipe()
        let thread = Thread { [self] in loop() }
        thread.name = "ssh \(endpoint)"
        thread.start()
    }

    /// Runs `body` on the thread; Task cancellation sets the job's flag and rings the wake pipe,
    /// so a poll() in progress returns at once and the job throws `SSHError.cancelled`.
    func perform<T: Sendable>(_ phase: SSHPhase, _ body: @escaping @Sendable (SSHSessionState) throws -> T) async throws -> T {
        let control = SSHJobControl()
        let endpoint = self.endpoint
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                let accepted = enqueue { state in
                    if control.isCancelled {
                        continuation.resume(throwing: SSHError.cancelled(endpoint: endpoint, phase: phase))
                        return
                    }
                    state.control = control
                    defer { state.control = SSHJobControl() }
                    do { continuation.resume(returning: try body(state)) } catch { continuation.resume(throwing: error) }
                }
                if !accepted { continuation.resume(throwing: SSHError.closed(endpoint: endpoint)) }
            }
        } onCancel: {
            control.cancel()
            self.wake.wake()
        }
    }

    /// Ends the thread after the queued jobs; the session is torn down on the thread itself.
    func stop() {
        condition.withLock {
            stopping = true
            condition.signal()
        }
    }

    private func enqueue(_ job: @escaping Job) -> Bool {
        condition.withLock {
            guard !stopping else { return false }
            jobs.append(job)
            condition.signal()
            return true
        }
    }

    private func loop() {
        let state = SSHSessionState(endpoint: endpoint, wake: wake)
        while let job = next(state) {
            state.reapParked()
            job(state)
        }
        state.teardown() // disconnect and free here, on the session's own thread
    }

    private func next(_ state: SSHSessionState) -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !stopping {
            guard state.keepalive, state.broken == nil, let session = state.session else {
                condition.wait()
                continue
            }
            var seconds: Int32 = 0
            condition.unlock()
            state.reapParked()
            _ = libssh2_keepalive_send(session.raw, &seconds)
            condition.lock()
            if jobs.isEmpty && !stopping { _ = condition.wait(until: Date().addingTimeInterval(Double(max(1, seconds)))) }
        }
        return jobs.isEmpty ? nil : jobs.removeFirst()
    }
}
