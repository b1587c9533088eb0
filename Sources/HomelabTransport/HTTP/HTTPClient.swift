/// An HTTP/1.1 and HTTP/2 client over libcurl. All of its requests share one event-loop thread
/// and one connection pool, whatever their number; trust and client identity are fixed per client.
public final class HTTPClient: HTTPStreamOpening, Sendable {
    public let configuration: HTTPClientConfiguration
    let loop: CurlEventLoop

    public init(configuration: HTTPClientConfiguration = HTTPClientConfiguration()) throws {
        self.configuration = configuration
        do {
            loop = try CurlEventLoop()
        } catch {
            throw HTTPError(.transport(code: error.code, error.description), method: "-", url: "-")
        }
    }

    deinit { loop.stop() }

    /// Sends a request and reads the whole response into memory, whatever its status.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let collector = CollectingSink()
        let (head, trailers) = try await exchange(request, into: collector)
        return HTTPResponse(head: head, body: collector.bytes, trailers: trailers, method: request.method, url: request.url)
    }

    /// Sends a request and streams the response body into `sink`, whatever its status.
    @discardableResult
    public func send(_ request: HTTPRequest, into sink: some HTTPBodySink) async throws -> HTTPResponseHead {
        try await exchange(request, into: sink).0
    }

    /// A live exchange whose request body is written while the response streams back (gRPC).
    public func openStream(method: String, url: String, headers: HTTPHeaders, timeout: Duration?) async throws -> any HTTPStreamingExchange {
        try await openStream(method: method, url: url, headers: headers, bodyLength: nil, timeout: timeout)
    }

    /// The same, with the request body's total length declared (see `HTTPStreamOpening`).
    public func openStream(method: String, url: String, headers: HTTPHeaders, bodyLength: Int64?, timeout: Duration?) async throws -> any HTTPStreamingExchange
    {
        try Task.checkCancellation()
        let id = CurlTransfer.nextID()
        let body = StreamingRequestBody(limit: configuration.requestBufferLimit, length: bodyLength) { [loop] in loop.submit(.resume(id)) }
        let request = HTTPRequest(method: method, url: url, headers: headers)
        let plan = try plan(for: request, body: body, totalTimeout: timeout, lowSpeed: nil)
        let transfer = CurlTransfer(id: id, plan: plan, configuration: configuration, loop: loop)
        transfer.start()
        return CurlStreamingExchange(client: self, transfer: transfer, body: body)
    }

    /// How many threads ran this client's transfer callbacks so far (one, by design).
    var eventLoopThreadCount: Int { loop.callbackThreads.withLock { $0.count } }

    /// Sends a request and hands the response body to `consume` piece by piece, whatever the
    /// status, awaiting each piece before the next: an async consumer (decrypting, writing to a
    /// remote process) paces the transfer, which pauses while it is behind. The head comes with
    /// every piece so the consumer can treat an error body differently.
    @discardableResult
    public func send(
        _ request: HTTPRequest, consume: (HTTPResponseHead, [UInt8]) async throws -> Void
    ) async throws -> HTTPResponseHead {
        try await exchange(request, deliver: consume, finish: {}, wrapConsumerErrors: false).0
    }

    private func exchange(_ request: HTTPRequest, into sink: some HTTPBodySink) async throws -> (HTTPResponseHead, HTTPHeaders) {
        try await exchange(request, deliver: { _, chunk in try chunk.withUnsafeBytes { try sink.write($0) } }, finish: { try sink.finish() }, wrapConsumerErrors: true)
    }

    private func exchange(
        _ request: HTTPRequest, deliver: (HTTPResponseHead, [UInt8]) async throws -> Void, finish: () throws -> Void,
        wrapConsumerErrors: Bool
    ) async throws -> (HTTPResponseHead, HTTPHeaders) {
        let body: (any RequestBodySource)?
        do {
            body = try Self.source(for: request.body)
        } catch {
            throw HTTPError(.localIO(error.message), method: request.method, url: request.url)
        }
        var request = request
        if case .multipart(let form) = request.body, request.headers["Content-Type"] == nil {
            request.headers.add("Content-Type", form.contentType)
        }
        let plan = try plan(
            for: request, body: body, totalTimeout: request.timeout ?? configuration.timeouts.total,
            lowSpeed: configuration.timeouts.lowSpeed)
        let transfer = CurlTransfer(plan: plan, configuration: configuration, loop: loop)
        return try await withTaskCancellationHandler {
            transfer.start()
            var bodyHead: HTTPResponseHead?
            while let batch = try await transfer.response.next() {
                // Body bytes only follow a complete head, so this wait is over at once.
                if bodyHead == nil { bodyHead = try await transfer.head.value() }
                for chunk in batch {
                    do {
                        try await deliver(bodyHead!, chunk)
                    } catch {
                        // The consumer gave up: stop the transfer, and say why in its own words.
                        transfer.cancel()
                        throw wrapConsumerErrors ? transfer.error(.localIO("writing the response failed: \(error)")) : error
                    }
                }
            }
            let head = try await transfer.head.value()
            let trailers = try await transfer.trailers.value()
            do {
                try finish()
            } catch {
                throw transfer.error(.localIO("finishing the response failed: \(error)"))
            }
            return (head, trailers)
        } onCancel: {
            transfer.cancel()
        }
    }

    private func plan(
        for request: HTTPRequest, body: (any RequestBodySource)?, totalTimeout: Duration?,
        lowSpeed: HTTPTimeouts.LowSpeed?
    ) throws(HTTPError) -> CurlTransfer.Plan {
        let fail = { (reason: String) in HTTPError(.invalidRequest(reason), method: request.method, url: request.url) }
        let scheme = request.url.prefix { $0 != ":" }.lowercased()
        guard scheme == "https" || scheme == "http" else { throw fail("only http and https URLs are supported") }
        guard !request.method.isEmpty, request.method.allSatisfy({ $0.isLetter || $0 == "-" }) else {
            throw fail("method must be a plain token")
        }
        for (name, value) in request.headers {
            // Header injection: a CR or LF would start a new header line or a new request.
            // Bytes, not Characters: "\r\n" is a single Character and would slip past a Character test.
            let bad = { (text: String) in text.utf8.contains { $0 == 13 || $0 == 10 || $0 == 0 } }
            if name.isEmpty || name.contains(":") || bad(name) || bad(value) {
                throw fail("header \(bad(name) ? "with a control character in its name" : name) is malformed")
            }
        }
        return CurlTransfer.Plan(
            method: request.method, url: request.url, headers: request.headers, body: body,
            totalTimeout: totalTimeout, lowSpeed: lowSpeed, progress: request.progress, signature: request.signature)
    }

    private static func source(for body: HTTPRequestBody) throws(HTTPBodyFileError) -> (any RequestBodySource)? {
        switch body {
        case .none: return nil
        case .bytes(let bytes): return SegmentedBodySource([.bytes(bytes)])
        case .file(let path): return SegmentedBodySource([.file(path: path, size: try HTTPBodyFileError.size(of: path))])
        case .multipart(let form): return SegmentedBodySource(try form.segments())
        }
    }
}

/// Gathers a body in memory for `send(_:)`.
private final class CollectingSink: HTTPBodySink {
    var bytes: [UInt8] = []
    func write(_ chunk: UnsafeRawBufferPointer) throws { bytes.append(contentsOf: chunk) }
}
