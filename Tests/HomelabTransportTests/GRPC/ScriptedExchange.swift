import Foundation

@testable import HomelabTransport

/// A test double of one HTTP/2 exchange: answers from a script and records what the client did.
/// Like a unary server it answers once the request has ended (unless `answersEarly`);
/// `head: nil` plays a silent server: every read waits until the exchange is cancelled.
final class ScriptedExchange: HTTPStreamingExchange, @unchecked Sendable {
    struct Script {
        var head: HTTPResponseHead?
        var chunks: [[UInt8]] = []
        var trailers = HTTPHeaders()
        /// Thrown by `write` (a transport that refuses the request body).
        var writeError: (any Error)?
        /// Answers without waiting for the end of the request (a server that refuses at once).
        var answersEarly = false
    }

    private let script: Script
    private let lock = NSLock()
    private var _written: [UInt8] = []
    private var _finished = false
    private var _cancelled = false
    private var _chunksServed = 0
    private var waiters: [CheckedContinuation<Bool, Never>] = []

    init(_ script: Script) { self.script = script }

    var written: [UInt8] { lock.withLock { _written } }
    var finished: Bool { lock.withLock { _finished } }
    var cancelled: Bool { lock.withLock { _cancelled } }
    var chunksServed: Int { lock.withLock { _chunksServed } }

    func write(_ bytes: [UInt8]) async throws {
        if let error = script.writeError { throw error }
        try lock.withLock {
            if _cancelled { throw CancellationError() }
            _written += bytes
        }
    }

    func finish() async throws {
        if let error = script.writeError { throw error }
        lock.withLock { _finished = true }
        wakeWaiters()
    }

    func head() async throws -> HTTPResponseHead {
        guard let head = script.head else {
            try await wait(until: { $0._cancelled })
            throw CancellationError()
        }
        if !script.answersEarly { try await wait(until: { $0._finished || $0._cancelled }) }
        try throwIfCancelled()
        return head
    }

    /// Serves the scripted chunks one per read, so tests can see how far the client read.
    func bodyChunks() -> AsyncThrowingStream<[UInt8], Error> {
        AsyncThrowingStream { [self] in
            try throwIfCancelled()
            return lock.withLock {
                guard _chunksServed < script.chunks.count else { return nil }
                defer { _chunksServed += 1 }
                return script.chunks[_chunksServed]
            }
        }
    }

    func trailers() async throws -> HTTPHeaders {
        try throwIfCancelled()
        return script.trailers
    }

    func cancel() {
        lock.withLock { _cancelled = true }
        wakeWaiters()
    }

    private func throwIfCancelled() throws {
        if cancelled { throw CancellationError() }
    }

    /// Suspends until `ready` holds; re-checked whenever finish() or cancel() changes the state.
    private func wait(until ready: @escaping (ScriptedExchange) -> Bool) async throws {
        while true {
            let done: Bool = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let now = lock.withLock {
                    if ready(self) { return true }
                    waiters.append(continuation)
                    return false
                }
                if now { continuation.resume(returning: true) }
            }
            if done { return }
        }
    }

    private func wakeWaiters() {
        let pending = lock.withLock {
            defer { waiters = [] }
            return waiters
        }
        for waiter in pending { waiter.resume(returning: false) }
    }
}

/// Hands out one scripted exchange and records the request that opened it.
final class ScriptedOpener: HTTPStreamOpening, @unchecked Sendable {
    struct Opened {
        var method: String
        var url: String
        var headers: HTTPHeaders
        var timeout: Duration?
    }

    let exchange: ScriptedExchange
    private let openError: (any Error)?
    private let lock = NSLock()
    private var _opened: [Opened] = []

    init(_ script: ScriptedExchange.Script, openError: (any Error)? = nil) {
        exchange = ScriptedExchange(script)
        self.openError = openError
    }

    var opened: [Opened] { lock.withLock { _opened } }

    func openStream(method: String, url: String, headers: HTTPHeaders, timeout: Duration?) async throws -> any HTTPStreamingExchange {
        lock.withLock { _opened.append(Opened(method: method, url: url, headers: headers, timeout: timeout)) }
        if let openError { throw openError }
        return exchange
    }
}

/// Response scripts built the way servers answer.
enum GRPCScript {
    static func okHead(_ extra: [(String, String)] = []) -> HTTPResponseHead {
        HTTPResponseHead(status: 200, headers: HTTPHeaders([("content-type", "application/grpc")] + extra), version: "2")
    }

    static func status(_ code: Int, _ message: String = "") -> HTTPHeaders {
        var fields = [("grpc-status", "\(code)")]
        if !message.isEmpty { fields.append(("grpc-message", GRPCMessageText.encode(message))) }
        return HTTPHeaders(fields)
    }

    /// Messages framed and cut into chunks of `chunkSize` bytes (nil: one chunk), then OK.
    static func replying(_ messages: [[UInt8]], chunkSize: Int? = nil, trailers: HTTPHeaders = status(0)) -> ScriptedExchange.Script {
        let body = messages.flatMap(GRPCFraming.frame)
        return ScriptedExchange.Script(head: okHead(), chunks: split(body, size: chunkSize ?? max(body.count, 1)), trailers: trailers)
    }

    static func split(_ bytes: [UInt8], size: Int) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
    }

    static let method = GRPCMethod(service: "homelab.test.Echo", method: "Echo")
    static let endpoint = "https://127.0.0.1:50000"
}
