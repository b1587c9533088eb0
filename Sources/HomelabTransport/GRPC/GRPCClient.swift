import SwiftProtobuf

/// A gRPC client for one server, over any HTTP/2 transport that can stream (`HTTPClient` in
/// production, a double in tests). Messages are swift-protobuf messages; no compression.
///
///     let client = GRPCClient(endpoint: "https://10.0.0.10:50000", transport: httpClient)
///     let version: Machine_VersionResponse = try await client.unary(
///         GRPCMethod(service: "machine.MachineService", method: "Version"), Google_Protobuf_Empty())
public struct GRPCClient: Sendable {
    /// `https://host:port`; the method path is appended.
    public let endpoint: String
    public let transport: any HTTPStreamOpening
    /// Sent with every call, before the call's own metadata (e.g. Talos' `runtime: Talos`).
    public var metadata: GRPCMetadata
    /// Largest message sent or accepted, in bytes (RESOURCE_EXHAUSTED beyond it).
    public var messageLimit: Int

    public static let defaultMessageLimit = GRPCFraming.defaultMessageLimit

    public init(
        endpoint: String, transport: any HTTPStreamOpening, metadata: GRPCMetadata = GRPCMetadata(),
        messageLimit: Int = GRPCClient.defaultMessageLimit
    ) {
        self.endpoint = endpoint
        self.transport = transport
        self.metadata = metadata
        self.messageLimit = messageLimit
    }

    /// One request, one response.
    public func unary<Request: Message, Response: Message>(
        _ method: GRPCMethod, _ request: Request, returning: Response.Type = Response.self,
        options: GRPCCallOptions = GRPCCallOptions()
    ) async throws(GRPCError) -> Response {
        var call = makeCall(method, options: options)
        // Its length is declared, so the request's last DATA frame carries END_STREAM.
        let framed = try call.frame(request)
        call.requestLength = Int64(framed.count)
        return try await single(call) { exchange in try await exchange.send(framed: framed) }
    }

    /// One request, a stream of responses. The deadline counts from this call; the stream ends by
    /// throwing a GRPCError unless the server ends the call with OK. Stopping iteration (or
    /// cancelling the iterating task) cancels the call.
    public func serverStreaming<Request: Message, Response: Message>(
        _ method: GRPCMethod, _ request: Request, returning: Response.Type = Response.self,
        options: GRPCCallOptions = GRPCCallOptions()
    ) -> AsyncThrowingStream<Response, Error> {
        let (stream, continuation) = AsyncThrowingStream<Response, Error>.makeStream()
        var call = makeCall(method, options: options)
        let framed: [UInt8]
        do {
            framed = try call.frame(request)
        } catch {
            continuation.finish(throwing: error)
            return stream
        }
        call.requestLength = Int64(framed.count)
        let task = Task {
            do {
                try await call.run { exchange in
                    try await exchange.converse {
                        try await exchange.send(framed: framed)
                    } receiving: {
                        try await exchange.receive(Response.self) { response in continuation.yield(response) }
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// One request, responses handed to `each` one at a time: the next is read only once `each`
    /// has returned, so a slow consumer (an etcd snapshot going to disk) holds the transfer back
    /// instead of piling responses up in memory. If `each` throws, the call is cancelled and
    /// fails with CANCELLED carrying that error.
    public func serverStreaming<Request: Message, Response: Message>(
        _ method: GRPCMethod, _ request: Request, returning: Response.Type = Response.self,
        options: GRPCCallOptions = GRPCCallOptions(),
        each: @escaping @Sendable (Response) async throws -> Void
    ) async throws(GRPCError) {
        var call = makeCall(method, options: options)
        let framed = try call.frame(request)
        call.requestLength = Int64(framed.count)
        try await call.run { exchange in
            try await exchange.converse {
                try await exchange.send(framed: framed)
            } receiving: {
                try await exchange.receive(Response.self) { (response: Response) async throws(GRPCError) in
                    do {
                        try await each(response)
                    } catch let error as GRPCError {
                        throw error
                    } catch {
                        throw exchange.call.failure(.cancelled, "the call was abandoned because handling a response failed: \(error)", underlying: error)
                    }
                }
            }
        }
    }

    /// Requests written by `requests` (in its own task, while the response is awaited), one response.
    /// If `requests` throws, the call is cancelled and fails with CANCELLED carrying that error.
    public func clientStreaming<Request: Message, Response: Message>(
        _ method: GRPCMethod, returning: Response.Type = Response.self,
        options: GRPCCallOptions = GRPCCallOptions(),
        requests: @escaping @Sendable (GRPCRequestWriter<Request>) async throws -> Void
    ) async throws(GRPCError) -> Response {
        try await single(makeCall(method, options: options)) { exchange in
            try await requests(GRPCRequestWriter(exchange: exchange))
        }
    }

    /// Client streaming from a sequence of requests already at hand.
    public func clientStreaming<Request: Message, Response: Message>(
        _ method: GRPCMethod, _ requests: [Request], returning: Response.Type = Response.self,
        options: GRPCCallOptions = GRPCCallOptions()
    ) async throws(GRPCError) -> Response {
        try await clientStreaming(method, returning: Response.self, options: options) { writer in
            for request in requests { try await writer.send(request) }
        }
    }

    /// Client streaming from an asynchronous sequence (chunks of a file being read, say).
    public func clientStreaming<Requests: AsyncSequence & Sendable, Response: Message>(
        _ method: GRPCMethod, _ requests: Requests, returning: Response.Type = Response.self,
        options: GRPCCallOptions = GRPCCallOptions()
    ) async throws(GRPCError) -> Response where Requests.Element: Message {
        try await clientStreaming(method, returning: Response.self, options: options) { writer in
            for try await request in requests { try await writer.send(request) }
        }
    }

    /// A call with exactly one response message (unary and client streaming).
    private func single<Response: Message>(
        _ call: GRPCCall, sending: @escaping @Sendable (GRPCCallExchange) async throws -> Void
    ) async throws(GRPCError) -> Response {
        try await call.run { exchange in
            try await exchange.converse {
                try await sending(exchange)
            } receiving: {
                var response: Response?
                try await exchange.receive(Response.self) { (message: Response) throws(GRPCError) in
                    guard response == nil else {
                        throw exchange.call.failure(.internal, "the server sent more than one response message to a call that takes one")
                    }
                    response = message
                }
                guard let response else {
                    throw exchange.call.failure(.internal, "the server ended the call with OK but sent no response message")
                }
                return response
            }
        }
    }

    private func makeCall(_ method: GRPCMethod, options: GRPCCallOptions) -> GRPCCall {
        GRPCCall(
            method: method, endpoint: endpoint, transport: transport,
            metadata: metadata.merged(with: options.metadata), timeout: options.timeout,
            messageLimit: messageLimit)
    }
}
