import Synchronization

/// Response bytes on their way from the event-loop thread to the one task reading them. Bounded:
/// when the reader falls `limit` bytes behind, the transfer pauses (CURL_WRITEFUNC_PAUSE) and
/// resumes once the reader has taken what is queued, so a slow sink never balloons memory.
final class ResponseBodyChannel: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var queued = 0
        var end: Result<Void, Error>?
        var waiter: CheckedContinuation<[[UInt8]]?, Error>?
        var producerPaused = false
    }
    private let state = Mutex(State())
    private let limit: Int
    /// Asks the event loop to unpause the transfer; set once before the transfer starts.
    private let resumeProducer: @Sendable () -> Void

    init(limit: Int, resumeProducer: @escaping @Sendable () -> Void) {
        self.limit = max(limit, 1)
        self.resumeProducer = resumeProducer
    }

    enum Offer {
        case taken
        /// Taken, and the reader is waiting: call `flush()` once this round of curl work is done.
        case takenReaderWaiting
        case pause
        case closed
    }

    /// Event-loop thread: hands over one piece, or says to pause (curl keeps and re-sends it).
    /// A waiting reader is not woken per piece (16 KiB TLS records): the loop flushes once per
    /// round, so one wake-up carries everything curl read in that round.
    func offer(_ bytes: UnsafeRawBufferPointer) -> Offer {
        state.withLock { state in
            if state.end != nil { return .closed }
            if state.queued >= limit, state.waiter == nil {
                state.producerPaused = true
                return .pause
            }
            state.chunks.append(Array(bytes))
            state.queued += bytes.count
            return state.waiter == nil ? .taken : .takenReaderWaiting
        }
    }

    /// Event-loop thread: wakes a waiting reader with everything queued.
    func flush() {
        let (waiter, chunks): (CheckedContinuation<[[UInt8]]?, Error>?, [[UInt8]]) = state.withLock { state in
            guard let waiter = state.waiter, !state.chunks.isEmpty else { return (nil, []) }
            state.waiter = nil
            defer {
                state.chunks = []
                state.queued = 0
            }
            return (waiter, state.chunks)
        }
        waiter?.resume(returning: chunks)
    }

    /// The body ended (or failed); the reader gets what is queued, then the end.
    func finish(_ result: Result<Void, Error>) {
        let waiter: CheckedContinuation<[[UInt8]]?, Error>? = state.withLock { state in
            guard state.end == nil else { return nil }
            // A failure discards what is queued: the reader must not mistake it for a whole body.
            if case .failure = result {
                state.chunks = []
                state.queued = 0
            }
            state.end = result
            defer { state.waiter = nil }
            return state.waiter
        }
        switch result {
        case .success:
            // Chunks still queued go to the waiting reader first; its next call sees the end.
            guard let waiter else { return }
            let chunks: [[UInt8]] = state.withLock { state in
                defer {
                    state.chunks = []
                    state.queued = 0
                }
                return state.chunks
            }
            waiter.resume(returning: chunks.isEmpty ? nil : chunks)
        case .failure(let error): waiter?.resume(throwing: error)
        }
    }

    /// Reader: everything queued so far (in order), or nil at the end of the body.
    func next() async throws -> [[UInt8]]? {
        try await withCheckedThrowingContinuation { continuation in
            let (ready, resume): (Result<[[UInt8]]?, Error>?, Bool) = state.withLock { state in
                if !state.chunks.isEmpty {
                    let chunks = state.chunks
                    state.chunks = []
                    state.queued = 0
                    let resume = state.producerPaused
                    state.producerPaused = false
                    return (.success(chunks), resume)
                }
                switch state.end {
                case .success: return (.success(nil), false)
                case .failure(let error): return (.failure(error), false)
                case nil:
                    state.waiter = continuation
                    let resume = state.producerPaused
                    state.producerPaused = false
                    return (nil, resume)
                }
            }
            if resume { resumeProducer() }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
