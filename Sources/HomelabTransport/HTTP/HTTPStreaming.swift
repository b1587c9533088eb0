/// Header fields in the order they were sent or received. Names compare without case
/// (HTTP/2 sends them in lower case; HTTP/1.1 servers may not).
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public subscript(name: String) -> String? {
        let wanted = name.lowercased()
        return fields.first { $0.name.lowercased() == wanted }?.value
    }

    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return fields.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}

/// The status line and header block of a response.
public struct HTTPResponseHead: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    /// "1.1" or "2": what was negotiated (gRPC refuses anything but HTTP/2).
    public var version: String
    /// The status line's reason phrase (HTTP/1.1 only; empty on HTTP/2). Some APIs, Proxmox's
    /// among them, put the error's first line there.
    public var reason: String

    public init(status: Int, headers: HTTPHeaders, version: String, reason: String = "") {
        self.status = status
        self.headers = headers
        self.version = version
        self.reason = reason
    }
}

/// One request whose body is written, and whose response is read, while it runs: the shape gRPC
/// streaming needs. The live implementation rides libcurl's multi interface over HTTP/2.
public protocol HTTPStreamingExchange: AnyObject, Sendable {
    /// Queues request body bytes; suspends while the transport's send buffer is full.
    func write(_ bytes: [UInt8]) async throws
    /// Ends the request body (HTTP/2 END_STREAM).
    func finish() async throws
    /// Status and headers; throws the transport's error if the exchange failed before them.
    func head() async throws -> HTTPResponseHead
    /// The response body in chunks as they arrive; chunk boundaries mean nothing.
    func bodyChunks() -> AsyncThrowingStream<[UInt8], Error>
    /// Trailer fields, once the body has ended (empty when the server sent none).
    func trailers() async throws -> HTTPHeaders
    /// Stops the exchange at once (HTTP/2 RST_STREAM); pending calls throw cancellation.
    func cancel()
}

/// Opens streaming exchanges. `HTTPClient` is the live one; tests may supply their own.
public protocol HTTPStreamOpening: Sendable {
    /// `timeout` bounds the whole exchange; nil leaves only the client's connect timeout.
    func openStream(
        method: String, url: String, headers: HTTPHeaders, timeout: Duration?
    ) async throws -> any HTTPStreamingExchange

    /// The same, for a request body whose total length is known before it is written: the
    /// stream then ends with its last DATA frame. Writing more or less than `bodyLength` fails.
    func openStream(
        method: String, url: String, headers: HTTPHeaders, bodyLength: Int64?, timeout: Duration?
    ) async throws -> any HTTPStreamingExchange
}

extension HTTPStreamOpening {
    /// Transports without the notion (test doubles) stream as if the length were unknown.
    public func openStream(
        method: String, url: String, headers: HTTPHeaders, bodyLength: Int64?, timeout: Duration?
    ) async throws -> any HTTPStreamingExchange {
        try await openStream(method: method, url: url, headers: headers, timeout: timeout)
    }
}
