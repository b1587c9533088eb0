import Synchronization

/// A request body written while the exchange runs (gRPC streaming). Writers queue bytes; curl's
/// read callback drains them on the event-loop thread, pausing the upload when the queue is empty
/// (CURL_READFUNC_PAUSE) and resumed when more arrives. Writers wait while `limit` bytes are queued.
final class StreamingRequestBody: RequestBodySource, Sendable {
    /// Declared up front by callers that know it (a unary gRPC request): curl then ends the
    /// stream with the last DATA frame instead of a separate empty one, after which libcurl 7.88
    /// can lose an answer that the server sent, and reset the stream with, before our END_STREAM.
    let length: Int64?
    private struct State {
        var written: Int64 = 0
        var chunks: [[UInt8]] = []
        var headOffset = 0
        var queued = 0
        var finished = false
        var closed: Error?
        var readerPaused = false
        var writers: [CheckedContinuation<Void, Error>] = []
    }
    private let state = Mutex(State())
    private let limit: Int
    private let resumeReader: @Sendable () -> Void

    init(limit: Int, length: Int64? = nil, resumeReader: @escaping @Sendable () -> Void) {
        self.length = length
        self.limit = max(limit, 1)
        self.resumeReader = resumeReader
    }

    func write(_ bytes: [UInt8]) async throws {
        let resume: Bool = try state.withLock { state in
            if let closed = state.closed { throw closed }
            guard !state.finished else { throw StreamingBodyFinished() }
            guard !bytes.isEmpty else { return false }
            if let length, state.written + Int64(bytes.count) > length { throw StreamingBodyLength(declared: length) }
            state.written += Int64(bytes.count)
            state.chunks.append(bytes)
            state.queued += bytes.count
            defer { state.readerPaused = false }
            return state.readerPaused
        }
        if resume { resumeReader() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let verdict: Result<Void, Error>? = state.withLock { state in
                if let closed = state.closed { return .failure(closed) }
                if state.queued < limit { return .success(()) }
                state.writers.append(continuation)
                return nil
            }
            if let verdict { continuation.resume(with: verdict) }
        }
    }

    /// Ends the body; false when fewer bytes were written than declared (nothing is ended then).
    @discardableResult
    func finish() -> Bool {
        if let length, state.withLock({ $0.written }) != length { return false }
        let resume: Bool = state.withLock { state in
            state.finished = true
            defer { state.readerPaused = false }
            return state.readerPaused
        }
        if resume { resumeReader() }
        return true
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> BodyRead {
        let (result, writers): (BodyRead, [CheckedContinuation<Void, Error>]) = state.withLock { state in
            var copied = 0
            while copied < buffer.count, !state.chunks.isEmpty {
                let chunk = state.chunks[0]
                let count = min(buffer.count - copied, chunk.count - state.headOffset)
                chunk.withUnsafeBytes { source in
                    (buffer.baseAddress! + copied).copyMemory(from: source.baseAddress! + state.headOffset, byteCount: count)
                }
                copied += count
                state.headOffset += count
                if state.headOffset == chunk.count {
                    state.chunks.removeFirst()
                    state.headOffset = 0
                }
            }
            state.queued -= copied
            var writers: [CheckedContinuation<Void, Error>] = []
            if state.queued < limit { swap(&writers, &state.writers) }
            if copied > 0 { return (.bytes(copied), writers) }
            if state.finished { return (.end, writers) }
            state.readerPaused = true
            return (.pause, writers)
        }
        for writer in writers { writer.resume() }
        return result
    }

    func close(_ error: Error?) {
        let writers: [CheckedContinuation<Void, Error>] = state.withLock { state in
            state.closed = error ?? StreamingBodyFinished()
            defer { state.writers = [] }
            return state.writers
        }
        for writer in writers { writer.resume(throwing: error ?? StreamingBodyFinished()) }
    }
}

/// Written after `finish()` or after the exchange ended.
struct StreamingBodyFinished: Error, CustomStringConvertible {
    var description: String { "the request body is finished; nothing more can be written" }
}

/// More or fewer bytes than the length declared when the exchange was opened.
struct StreamingBodyLength: Error, CustomStringConvertible {
    var declared: Int64
    var description: String { "the request body must be exactly \(declared) bytes, as declared when the exchange was opened" }
}
