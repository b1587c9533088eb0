import Foundation
import Synchronization

/// The bounded hand-over between an async stdin producer and the connection's thread.
/// The producer suspends while `capacity` bytes wait; the thread takes chunks without blocking.
final class SSHInputBuffer: Sendable {
    enum Take {
        case chunk([UInt8])
        case empty
        case finished
        case failed(String)
    }

    /// What the producer and the connection's thread share.
    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var waiting = 0
        var finished = false
        var failure: String?
        var consumerGone = false
        var blockedProducer: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let wakeConsumer: @Sendable () -> Void

    init(capacity: Int, wakeConsumer: @escaping @Sendable () -> Void) {
        self.capacity = capacity
        self.wakeConsumer = wakeConsumer
    }

    struct ConsumerGone: Error {}

    /// Hands one chunk over, suspending while the buffer is full.
    func push(_ chunk: [UInt8]) async throws {
        guard !chunk.isEmpty else { return }
        while true {
            try Task.checkCancellation()
            enum Step {
                case added(wasEmpty: Bool)
                case full, gone
            }
            let step: Step = state.withLock { state in
                if state.consumerGone { return .gone }
                guard state.waiting < capacity else { return .full }
                let wasEmpty = state.head == state.chunks.count
                state.chunks.append(chunk)
                state.waiting += chunk.count
                return .added(wasEmpty: wasEmpty)
            }
            switch step {
            case .gone: throw ConsumerGone()
            case .added(let wasEmpty):
                if wasEmpty { wakeConsumer() }
                return
            case .full:
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let resumeNow = state.withLock { state in
                            if state.consumerGone || state.waiting < capacity || Task.isCancelled { return true }
                            state.blockedProducer = continuation
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: {
                    self.releaseProducer()
                }
            }
        }
    }

    /// The producer is done: the command gets end-of-file after the waiting chunks.
    func finish() {
        state.withLock { $0.finished = true }
        wakeConsumer()
    }

    func fail(_ error: Error) {
        state.withLock { state in
            if state.failure == nil && !state.finished { state.failure = String(describing: error) }
            state.finished = true
        }
        wakeConsumer()
    }

    /// Called by the connection's thread: the next chunk, if one is waiting.
    func take() -> Take {
        let (result, producer): (Take, CheckedContinuation<Void, Never>?) = state.withLock { state in
            if state.head < state.chunks.count {
                let chunk = state.chunks[state.head]
                state.chunks[state.head] = []
                state.head += 1
                if state.head == state.chunks.count {
                    state.chunks.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                state.waiting -= chunk.count
                let producer = state.waiting < capacity ? state.blockedProducer : nil
                if producer != nil { state.blockedProducer = nil }
                return (.chunk(chunk), producer)
            }
            if let failure = state.failure { return (.failed(failure), nil) }
            return (state.finished ? .finished : .empty, nil)
        }
        producer?.resume()
        return result
    }

    /// The command no longer reads: pending and later chunks are dropped, the producer is released.
    func abandon() {
        state.withLock { state in
            state.consumerGone = true
            state.chunks.removeAll()
            state.head = 0
            state.waiting = 0
        }
        releaseProducer()
    }

    private func releaseProducer() {
        let producer = state.withLock { state in
            let producer = state.blockedProducer
            state.blockedProducer = nil
            return producer
        }
        producer?.resume()
    }
}
