/// `HTTPStreamingExchange` over one libcurl transfer. Holds its client so the event loop keeps
/// running while the exchange lives; dropping the exchange cancels an unfinished transfer.
final class CurlStreamingExchange: HTTPStreamingExchange {
    private let client: HTTPClient
    private let transfer: CurlTransfer
    private let body: StreamingRequestBody

    init(client: HTTPClient, transfer: CurlTransfer, body: StreamingRequestBody) {
        self.client = client
        self.transfer = transfer
        self.body = body
    }

    deinit { transfer.cancel() }

    func write(_ bytes: [UInt8]) async throws {
        try await cancellable { [body, transfer] in
            do {
                try await body.write(bytes)
            } catch let mismatch as StreamingBodyLength {
                throw transfer.error(.invalidRequest(mismatch.description))
            } catch is StreamingBodyFinished {
                if case .failure(let error) = transfer.trailers.current { throw error }
                throw transfer.error(.invalidRequest("write after finish(): the request body is already complete"))
            }
        }
    }

    func finish() async throws {
        if case .failure(let error) = transfer.trailers.current { throw error }
        guard body.finish() else {
            transfer.cancel()
            throw transfer.error(.invalidRequest("the request body ended before the length declared when the exchange was opened"))
        }
    }

    func head() async throws -> HTTPResponseHead {
        try await cancellable { [transfer] in try await transfer.head.value() }
    }

    func bodyChunks() -> AsyncThrowingStream<[UInt8], Error> {
        AsyncThrowingStream { [transfer] in
            try await withTaskCancellationHandler {
                guard let batch = try await transfer.response.next() else { return nil }
                return batch.count == 1 ? batch[0] : Array(batch.joined())
            } onCancel: {
                transfer.cancel()
            }
        }
    }

    func trailers() async throws -> HTTPHeaders {
        try await cancellable { [transfer] in try await transfer.trailers.value() }
    }

    func cancel() { transfer.cancel() }

    /// A caller's task cancelled while it waits ends the whole exchange, as `cancel()` would.
    private func cancellable<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        try await withTaskCancellationHandler(operation: operation) { [transfer] in transfer.cancel() }
    }
}
