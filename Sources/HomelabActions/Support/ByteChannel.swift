import Synchronization

/// A bounded hand-over of byte chunks between two tasks: `send` suspends while `capacity` bytes
/// wait, `next` suspends while none do. It joins a pushing producer (a command's stdout) to a
/// pulling consumer (an `AsyncThrowingStream` read by a BackupStore) without unbounded memory.
/// One producer and one consumer.
final class ByteChannel: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var waiting = 0
        var ended = false
        var failure: (any Error)?
        var consumerGone = false
        var producer: CheckedContinuation<Void, Never>?
        var consumer: CheckedContinuation<Void, Never>?
    }

    struct ConsumerGone: Error, CustomStringConvertible {
        var description: String { "the reader of the stream stopped" }
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 8 << 20) { self.capacity = capacity }

    /// Hands one chunk over; suspends while the channel is full. Throws once the consumer left.
    func send(_ chunk: [UInt8]) async throws {
        guard !chunk.isEmpty else { return }
        while true {
            try Task.checkCancellation()
            let (added, consumer): (Bool?, CheckedContinuation<Void, Never>?) = state.withLock { state in
                if state.consumerGone { return (nil, nil) }
                guard state.waiting < capacity else { return (false, nil) }
                state.chunks.append(chunk)
                state.waiting += chunk.count
                let consumer = state.consumer
                state.consumer = nil
                return (true, consumer)
            }
            consumer?.resume()
            guard let added else { throw ConsumerGone() }
            if added { return }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let now = state.withLock { state in
                        if state.consumerGone || state.waiting < capacity || Task.isCancelled { return true }
                        state.producer = continuation
                        return false
                    }
                    if now { continuation.resume() }
                }
            } onCancel: {
                self.wakeProducer()
            }
        }
    }

    /// No more chunks: the consumer gets the waiting ones, then the end (or `error`).
    func finish(throwing error: (any Error)? = nil) {
        let consumer = state.withLock { state in
            state.ended = true
            if state.failure == nil { state.failure = error }
            let consumer = state.consumer
            state.consumer = nil
            return consumer
        }
        consumer?.resume()
    }

    /// The consumer stopped reading: the producer's next `send` throws.
    func abandon() {
        state.withLock { state in
            state.consumerGone = true
            state.chunks.removeAll()
            state.waiting = 0
        }
        wakeProducer()
    }

    /// The next chunk, nil at the end; throws what the producer failed with.
    func next() async throws -> [UInt8]? {
        while true {
            enum Step {
                case chunk([UInt8], CheckedContinuation<Void, Never>?)
                case end((any Error)?)
                case wait
            }
            let step: Step = state.withLock { state in
                if !state.chunks.isEmpty {
                    let chunk = state.chunks.removeFirst()
                    state.waiting -= chunk.count
                    let producer = state.producer
                    state.producer = nil
                    return .chunk(chunk, producer)
                }
                return state.ended ? .end(state.failure) : .wait
            }
            switch step {
            case .chunk(let chunk, let producer):
                producer?.resume()
                return chunk
            case .end(let failure):
                if let failure { throw failure }
                return nil
            case .wait:
                try Task.checkCancellation()
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let now = state.withLock { state in
                            if !state.chunks.isEmpty || state.ended || Task.isCancelled { return true }
                            state.consumer = continuation
                            return false
                        }
                        if now { continuation.resume() }
                    }
                } onCancel: {
                    let consumer = self.state.withLock { state in
                        let consumer = state.consumer
                        state.consumer = nil
                        return consumer
                    }
                    consumer?.resume()
                }
            }
        }
    }

    /// The consumer's side as the stream a BackupStore reads.
    var stream: AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream(unfolding: { try await self.next() })
    }

    private func wakeProducer() {
        let producer = state.withLock { state in
            let producer = state.producer
            state.producer = nil
            return producer
        }
        producer?.resume()
    }
}
