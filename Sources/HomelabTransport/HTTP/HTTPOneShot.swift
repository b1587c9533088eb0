import Synchronization

/// A result that arrives once (the response head, the trailers, the end of a transfer) and that
/// any number of tasks may await, before or after it arrives.
final class HTTPOneShot<Value: Sendable>: Sendable {
    private struct State {
        var result: Result<Value, Error>?
        var waiters: [CheckedContinuation<Value, Error>] = []
    }
    private let state = Mutex(State())

    /// Sets the result unless one is set already; returns whether this call set it.
    @discardableResult
    func resolve(_ result: Result<Value, Error>) -> Bool {
        let waiters: [CheckedContinuation<Value, Error>]? = state.withLock { state in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiters = [] }
            return state.waiters
        }
        guard let waiters else { return false }
        for waiter in waiters { waiter.resume(with: result) }
        return true
    }

    var current: Result<Value, Error>? { state.withLock { $0.result } }

    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Value, Error>? = state.withLock { state in
                if let result = state.result { return result }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
