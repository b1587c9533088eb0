import Synchronization

/// The bounded hand-over from the connection's thread to an async consumer of a command's
/// stdout. The thread never blocks on it: while `capacity` bytes wait, the sink says it has no
/// room and the execution stops reading the channel, so the server's window fills and the
/// remote command is held back (backpressure without a blocked thread). Taking a chunk that
/// frees room rings the wake pipe so the thread reads again at once.
final class SSHOutputQueue: SSHOutputSink, Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var waiting = 0
        var peak = 0
        var finished = false
        var consumerGone = false
        var consumer: CheckedContinuation<Taken, Never>?
    }

    struct ConsumerGone: Error, CustomStringConvertible {
        var description: String { "the reader of the output stopped" }
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let wakeProducer: @Sendable () -> Void

    init(capacity: Int, wakeProducer: @escaping @Sendable () -> Void) {
        self.capacity = capacity
        self.wakeProducer = wakeProducer
    }

    /// The most bytes that ever waited at once (capacity plus at most one read).
    var peakBuffered: Int { state.withLock { $0.peak } }

    var hasRoom: Bool { state.withLock { $0.consumerGone || $0.waiting < capacity } }

    /// Connection thread: one read's bytes, copied (they are only valid during the call).
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        let chunk = [UInt8](bytes)
        let consumer: CheckedContinuation<Taken, Never>? = try state.withLock { state in
            if state.consumerGone { throw ConsumerGone() }
            if let consumer = state.consumer {
                state.consumer = nil
                return consumer
            }
            state.chunks.append(chunk)
            state.waiting += chunk.count
            state.peak = max(state.peak, state.waiting)
            return nil
        }
        consumer?.resume(returning: Taken(chunk: chunk))
    }

    /// The command's output ended (or the command failed): the consumer drains and gets nil.
    func finish() {
        let consumer = state.withLock { state in
            state.finished = true
            let consumer = state.consumer
            state.consumer = nil
            return consumer
        }
        consumer?.resume(returning: Taken(chunk: nil))
    }

    /// The consumer gave up: later writes fail, so the execution stops and closes the channel.
    func abandon() {
        state.withLock { state in
            state.consumerGone = true
            state.chunks.removeAll()
            state.head = 0
            state.waiting = 0
        }
        wakeProducer()
    }

    /// The next chunk in order, nil once the output has ended. One consumer at a time; it is
    /// never cancelled on its own (the execution ends and finishes the queue instead).
    func next() async -> [UInt8]? {
        let taken: Taken = await withCheckedContinuation { continuation in
            let now: Taken? = state.withLock { state in
                if let taken = Self.take(&state, capacity: capacity) { return taken }
                state.consumer = continuation
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
        if taken.freedRoom { wakeProducer() }
        return taken.chunk
    }

    private struct Taken: Sendable {
        var chunk: [UInt8]?
        var freedRoom = false
    }

    /// The first waiting chunk, the end, or nil when the consumer must wait.
    private static func take(_ state: inout State, capacity: Int) -> Taken? {
        guard state.head < state.chunks.count else { return state.finished ? Taken(chunk: nil) : nil }
        let chunk = state.chunks[state.head]
        let wasFull = state.waiting >= capacity
        state.chunks[state.head] = []
        state.head += 1
        state.waiting -= chunk.count
        if state.head == state.chunks.count {
            state.chunks.removeAll(keepingCapacity: true)
            state.head = 0
        }
        return Taken(chunk: chunk, freedRoom: wasFull && state.waiting < capacity)
    }
}
