import SwiftProtobuf
import Synchronization

/// gRPC on one open HTTP/2 exchange: framed requests out, the response checked, cut into messages
/// and decoded, and the final status read from the trailers (or a Trailers-Only response).
final class GRPCCallExchange: Sendable {
    let call: GRPCCall
    let exchange: any HTTPStreamingExchange
    /// Set when the transport refused request bytes: the server's answer then says why.
    private let writeFailed = Mutex(false)

    init(call: GRPCCall, exchange: any HTTPStreamingExchange) {
        self.call = call
        self.exchange = exchange
    }

    // MARK: sending

    func send<Request: Message>(_ request: Request) async throws(GRPCError) {
        try await send(framed: try call.frame(request))
    }

    /// A request already framed (by `GRPCCall.frame`).
    func send(framed: [UInt8]) async throws(GRPCError) {
        try await transport("sending the request", writing: true) { try await exchange.write(framed) }
    }

    func finishSending() async throws(GRPCError) {
        try await transport("ending the request", writing: true) { try await exchange.finish() }
    }

    /// Sends (in a child task) while the response is read here, so a server that ends the call
    /// early is heard even while sending is stuck, and its status is what the caller sees.
    func converse<T: Sendable>(
        sending: @escaping @Sendable () async throws -> Void, receiving: () async throws -> T
    ) async throws -> T {
        let sender = SenderLock()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await sending()
                    try await self.finishSending()
                    sender.withLock { $0.done = true }
                } catch {
                    let local = !self.writeFailed.withLock { $0 }
                    sender.withLock { $0 = SenderState(done: true, localFailure: local ? self.abandoned(error) : nil) }
                    // Our side gave up (bad request, the requests' source failed): stop the call.
                    if local { self.exchange.cancel() }
                }
            }
            let result: T
            do {
                result = try await receiving()
            } catch {
                throw sender.withLock { $0.localFailure } ?? error
            }
            // The server has ended the call; a sender still blocked has nothing left to do.
            if !sender.withLock({ $0.done }) { exchange.cancel() }
            try await group.waitForAll()
            if let failure = sender.withLock({ $0.localFailure }) { throw failure }
            return result
        }
    }

    private struct SenderState {
        var done = false
        var localFailure: GRPCError?
    }

    /// The sending child task and the receiving caller share it: a Mutex cannot be captured by a
    /// child task's closure itself, so one reference holds it.
    private final class SenderLock: Sendable {
        private let state = Mutex(SenderState())

        func withLock<R: Sendable>(_ body: (inout SenderState) -> R) -> R { state.withLock { body(&$0) } }
    }

    private func abandoned(_ error: any Error) -> GRPCError {
        if let error = error as? GRPCError { return error }
        if error is CancellationError { return call.failure(.cancelled, "the calling task was cancelled") }
        return call.failure(.cancelled, "the call was abandoned because producing the requests failed: \(error)", underlying: error)
    }

    // MARK: receiving

    /// Reads the whole response, handing each message to `receive` as it completes; returns when
    /// the server ended the call with OK, throws its status otherwise.
    func receive<Response: Message>(
        _ type: Response.Type, _ receive: (Response) async throws(GRPCError) -> Void
    ) async throws(GRPCError) {
        let head = try await transport("waiting for the response headers") { try await exchange.head() }
        if let status = try checkHead(head) {
            return try end(with: status)
        }
        var deframer = GRPCDeframer(limit: call.messageLimit)
        var chunks = exchange.bodyChunks().makeAsyncIterator()
        while let chunk = try await transport("reading the response", { try await chunks.next() }) {
            let messages: [[UInt8]]
            do {
                messages = try deframer.append(chunk)
            } catch {
                throw framingFailure(error)
            }
            for bytes in messages { try await receive(decode(bytes)) }
        }
        let trailers = try await transport("reading the trailers") { try await exchange.trailers() }
        let status = GRPCResponseStatus(trailers)
        if let status, status.code != .ok { return try end(with: status) }
        do {
            try deframer.finish()
        } catch {
            throw framingFailure(error)
        }
        guard let status else {
            throw call.failure(
                .internal,
                "the response ended without a grpc-status; the server or a proxy cut the call short")
        }
        try end(with: status)
    }

    /// Checks status, protocol and content type; returns the status of a Trailers-Only response.
    private func checkHead(_ head: HTTPResponseHead) throws(GRPCError) -> GRPCResponseStatus? {
        let status = GRPCResponseStatus(head.headers)
        guard head.status == 200 else {
            let said = status.map { ": \($0.message)" } ?? ""
            throw call.failure(
                GRPCStatusCode(httpStatus: head.status),
                "HTTP status \(head.status) instead of 200\(said); is \(call.endpoint) a gRPC server?")
        }
        if head.version.hasPrefix("1") {
            throw call.failure(
                .unavailable,
                "the server answered over HTTP/\(head.version); gRPC needs HTTP/2 (negotiated with TLS ALPN h2)")
        }
        let contentType = head.headers["content-type"] ?? ""
        if status == nil, !contentType.lowercased().hasPrefix("application/grpc") {
            let shown = contentType.isEmpty ? "no content-type" : "content-type \(contentType.prefix(60))"
            throw call.failure(
                .unknown,
                "the response has \(shown), not application/grpc; is \(call.endpoint) a gRPC server?")
        }
        return status
    }

    private func end(with status: GRPCResponseStatus) throws(GRPCError) {
        guard status.code != .ok else { return }
        throw GRPCError(
            code: status.code, message: status.message, method: call.method.path,
            endpoint: call.endpoint, origin: .server, details: status.details)
    }

    private func decode<Response: Message>(_ bytes: [UInt8]) throws(GRPCError) -> Response {
        do {
            return try Response(serializedBytes: bytes)
        } catch {
            throw call.failure(
                .internal,
                "a \(bytes.count)-byte response message is not a valid \(Response.protoMessageName): \(error)", underlying: error)
        }
    }

    private func framingFailure(_ error: GRPCFramingError) -> GRPCError {
        switch error {
        case .compressedMessage:
            call.failure(.internal, "the server sent a compressed message, but this client never offers compression")
        case .invalidFlag(let flag):
            call.failure(.internal, "a response message has flag byte \(flag) (only 0 and 1 exist); the stream is not gRPC")
        case .messageTooLarge(let length, let limit):
            call.failure(
                .resourceExhausted,
                "a response message is \(length) bytes, over the limit of \(limit) bytes per message; ask for less per message")
        case .truncated(let received, let expected):
            call.failure(.internal, "the response ended inside a message (\(received) of \(expected) bytes)")
        }
    }

    /// Runs one exchange step; its failure becomes a GRPCError naming the step.
    private func transport<T>(
        _ doing: String, writing: Bool = false, _ step: () async throws -> T
    ) async throws(GRPCError) -> T {
        do {
            return try await step()
        } catch {
            if writing { writeFailed.withLock { $0 = true } }
            throw call.transportFailure(error, while: doing)
        }
    }
}
