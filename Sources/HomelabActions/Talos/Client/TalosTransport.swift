import HomelabTransport
import SwiftProtobuf

/// Carries Talos' gRPC calls: the live one is a GRPCClient over libcurl (LiveTalosTransport);
/// unit tests script one. Failures are the transport's GRPCErrors; TalosClient classifies them.
public protocol TalosTransport: Sendable {
    func unary<Request: Message, Response: Message>(
        _ method: GRPCMethod, _ request: Request, returning: Response.Type, options: GRPCCallOptions
    ) async throws(GRPCError) -> Response

    /// Responses handed to `each` one at a time; the next is read once `each` returned.
    func serverStreaming<Request: Message, Response: Message>(
        _ method: GRPCMethod, _ request: Request, returning: Response.Type, options: GRPCCallOptions,
        each: @escaping @Sendable (Response) async throws -> Void
    ) async throws(GRPCError)

    /// Requests written by `requests` through the sink while the one response is awaited.
    func clientStreaming<Request: Message, Response: Message>(
        _ method: GRPCMethod, returning: Response.Type, options: GRPCCallOptions,
        requests: @escaping @Sendable (TalosRequestSink<Request>) async throws -> Void
    ) async throws(GRPCError) -> Response
}

/// Where a client-streaming call's requests go; `send` suspends while the transport is full.
public struct TalosRequestSink<Request: Message>: Sendable {
    private let deliver: @Sendable (Request) async throws -> Void

    public init(_ deliver: @escaping @Sendable (Request) async throws -> Void) {
        self.deliver = deliver
    }

    public func send(_ request: Request) async throws {
        try await deliver(request)
    }
}

/// The live transport: one GRPCClient (one HTTP/2 connection pool) per endpoint and trust.
struct LiveTalosTransport: TalosTransport {
    let client: GRPCClient

    func unary<Request: Message, Response: Message>(
        _ method: GRPCMethod, _ request: Request, returning: Response.Type, options: GRPCCallOptions
    ) async throws(GRPCError) -> Response {
        try await client.unary(method, request, returning: Response.self, options: options)
    }

    func serverStreaming<Request: Message, Response: Message>(
        _ method: GRPCMethod, _ request: Request, returning: Response.Type, options: GRPCCallOptions,
        each: @escaping @Sendable (Response) async throws -> Void
    ) async throws(GRPCError) {
        try await client.serverStreaming(method, request, returning: Response.self, options: options, each: each)
    }

    func clientStreaming<Request: Message, Response: Message>(
        _ method: GRPCMethod, returning: Response.Type, options: GRPCCallOptions,
        requests: @escaping @Sendable (TalosRequestSink<Request>) async throws -> Void
    ) async throws(GRPCError) -> Response {
        try await client.clientStreaming(method, returning: Response.self, options: options) { (writer: GRPCRequestWriter<Request>) in
            try await requests(TalosRequestSink { request in try await writer.send(request) })
        }
    }
}
