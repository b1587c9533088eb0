import Foundation

/// The bounded hand-over between an async stdin producer and the connection's thread.
/// The producer suspends while `capacity` bytes wait; the thread takes chunks without blocking.
final class SSHInputBuffer: @unchecked Sendable {
    enum Take {
        case chunk([UInt8])
        case empty
        case finished
        case failed(String)
    }

    private let lock = NSLock()
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var waiting = 0
    private var finished = false
    private var failure: String?
    private var consumerGone = false
    private var blockedProducer: CheckedContinuation<Void, Never>?
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
            let step: Step = lock.withLock {
                if consumerGone { return .gone }
                guard waiting < capacity else { return .full }
                let wasEmpty = head == chunks.count
                chunks.append(chunk)
                waiting += chunk.count
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
                        let resumeNow = lock.withLock {
                            if consumerGone || waiting < capacity || Task.isCancelled { return true }
                            blockedProducer = continuation
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
        lock.withLock { finished = true }
        wakeConsumer()
    }

    func fail(_ error: Error) {
        lock.withLock {
            if failure == nil && !finished { failure = String(describing: error) }
            finished = true
        }
        wakeConsumer()
    }

    /// Called by the connection's thread: the next chunk, if one is waiting.
    func take() -> Take {
        let (result, producer): (Take, CheckedContinuation<Void, Never>?) = lock.withLock {
            if head < chunks.count {
                let chunk = chunks[head]
                chunks[head] = []
                head += 1
                if head == chunks.count {
                    chunks.removeAll(keepingCapacity: true)
                    head = 0
                }
                waiting -= chunk.count
                let producer = waiting < capacity ? blockedProducer : nil
                if producer != nil { blockedProducer = nil }
                return (.chunk(chunk), producer)
            }
            if let failure { return (.failed(failure), nil) }
            return (finished ? .finished : .empty, nil)
        }
        producer?.resume()
        return result
    }

    /// The command no longer reads: pending and later chunks are dropped, the producer is released.
    func abandon() {
        lock.withLock {
            consumerGone = true
            chunks.removeAll()
            head = 0
            waiting = 0
        }
        releaseProducer()
    }

    private func releaseProducer() {
        let producer = lock.withLock {
            let producer = blockedProducer
            blockedProducer = nil
            return producer
        }
        producer?.resume()
    }
}
