import Synchronization

/// Cancels a call's exchange from outside the call (task cancellation, the deadline), even while
/// the exchange is still being opened: a switch thrown early cancels it as soon as it exists.
final class GRPCCancelSwitch: Sendable {
    private struct State {
        var exchange: (any HTTPStreamingExchange)?
        var thrown = false
    }
    private let state = Mutex(State())

    func attach(_ exchange: any HTTPStreamingExchange) {
        let cancelNow = state.withLock { state in
            state.exchange = exchange
            return state.thrown
        }
        if cancelNow { exchange.cancel() }
    }

    /// Cancels the exchange once, however many times it is called.
    func cancel() {
        let exchange = state.withLock { state in
            defer { state.thrown = true }
            return state.thrown ? nil : state.exchange
        }
        exchange?.cancel()
    }

    var isThrown: Bool { state.withLock { $0.thrown } }
}
