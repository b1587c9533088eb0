import SwiftProtobuf

/// One call's fixed facts (method, URL, headers, deadline, limit) and the frame that runs it:
/// the exchange is opened under the deadline and cancelled when the caller's task is.
struct GRPCCall: Sendable {
    let method: GRPCMethod
    let endpoint: String
    let transport: any HTTPStreamOpening
    let headers: HTTPHeaders
    let timeout: Duration?
    let deadline: ContinuousClock.Instant?
    let messageLimit: Int
    /// The framed request's size, when the call sends one message known before it starts.
    var requestLength: Int64?

    init(
        method: GRPCMethod, endpoint: String, transport: any HTTPStreamOpening,
        metadata: GRPCMetadata, timeout: Duration?, messageLimit: Int
    ) {
        self.method = method
        self.endpoint = endpoint
        self.transport = transport
        self.timeout = timeout
        deadline = timeout.map { ContinuousClock.now.advanced(by: $0) }
        self.messageLimit = messageLimit
        var headers = HTTPHeaders([("content-type", "application/grpc"), ("te", "trailers")])
        if let timeout { headers.add("grpc-timeout", GRPCTimeout.headerValue(timeout)) }
        for (key, value) in metadata.headerFields { headers.add(key, value) }
        self.headers = headers
    }

    var url: String {
        (endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint) + method.path
    }

    /// One request message, serialized, checked against the limit and length-prefixed.
    func frame<Request: Message>(_ request: Request) throws(GRPCError) -> [UInt8] {
        let bytes: [UInt8]
        do {
            bytes = try request.serializedBytes()
        } catch {
            throw failure(.internal, "could not serialize the \(Request.protoMessageName) request: \(error)", underlying: error)
        }
        guard bytes.count <= messageLimit else {
            throw failure(
                .resourceExhausted,
                "the \(Request.protoMessageName) request is \(bytes.count) bytes, over the limit of \(messageLimit) bytes per message; send less per message")
        }
        return GRPCFraming.frame(bytes)
    }

    func failure(_ code: GRPCStatusCode, _ message: String, underlying: (any Error)? = nil) -> GRPCError {
        GRPCError(code: code, message: message, method: method.path, endpoint: endpoint, underlying: underlying)
    }

    /// Opens the exchange and runs `body` on it. Errors come out as GRPCError; on any error the
    /// exchange is reset so the server stops working for nobody.
    func run<T: Sendable>(_ body: @escaping @Sendable (GRPCCallExchange) async throws -> T) async throws(GRPCError) -> T {
        let cancelSwitch = GRPCCancelSwitch()
        do {
            return try await withTaskCancellationHandler {
                try await withDeadline(cancelSwitch) {
                    try Task.checkCancellation()
                    let exchange = try await transport.openStream(
                        method: "POST", url: url, headers: headers, bodyLength: requestLength, timeout: timeout)
                    cancelSwitch.attach(exchange)
                    do {
                        return try await body(GRPCCallExchange(call: self, exchange: exchange))
                    } catch {
                        cancelSwitch.cancel()
                        throw error
                    }
                }
            } onCancel: {
                cancelSwitch.cancel()
            }
        } catch {
            throw classify(error)
        }
    }

    /// Races the call against its deadline, so a silent server cannot hold it longer.
    private func withDeadline<T: Sendable>(
        _ cancelSwitch: GRPCCancelSwitch, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard let deadline else { return try await operation() }
        guard deadline > .now else { throw DeadlineReached() }
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                cancelSwitch.cancel()
                throw DeadlineReached()
            }
            return value
        }
    }

    /// Marks the local deadline running out (the sleeper won the race).
    private struct DeadlineReached: Error {}

    var deadlineHasPassed: Bool { deadline.map { ContinuousClock.now >= $0 } ?? false }

    private var deadlineText: String { timeout.map { "\($0)" } ?? "none" }

    /// The one place any error of a call becomes a GRPCError.
    func classify(_ error: any Error) -> GRPCError {
        if let error = error as? GRPCError { return error }
        if error is DeadlineReached || deadlineHasPassed {
            return failure(.deadlineExceeded, "no complete answer within the call's deadline (\(deadlineText))")
        }
        if error is CancellationError || Task.isCancelled {
            return failure(.cancelled, "the calling task was cancelled")
        }
        return transportFailure(error, while: "opening the call")
    }

    /// A failed exchange step, named so the reader knows how far the call got.
    func transportFailure(_ error: any Error, while doing: String) -> GRPCError {
        if deadlineHasPassed {
            return failure(.deadlineExceeded, "no complete answer within the call's deadline (\(deadlineText))", underlying: error)
        }
        if Task.isCancelled {
            return failure(.cancelled, "the calling task was cancelled", underlying: error)
        }
        return failure(GRPCTransportFailure.code(for: error), "\(doing) failed: \(error)", underlying: error)
    }
}
