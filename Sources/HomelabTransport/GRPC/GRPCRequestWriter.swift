import SwiftProtobuf

/// Sends the requests of a client-streaming call; `send` suspends while the transport is full.
public struct GRPCRequestWriter<Request: Message>: Sendable {
    let exchange: GRPCCallExchange

    public func send(_ request: Request) async throws(GRPCError) {
        try await exchange.send(request)
    }
}
