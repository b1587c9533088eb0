/// Where a streamed response body goes, piece by piece, on the task that awaits the response.
/// A slow sink slows the transfer down (it pauses) instead of piling bytes up in memory.
public protocol HTTPBodySink: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// The body is complete (not called when the transfer fails).
    func finish() throws
}

extension HTTPBodySink {
    public func finish() throws {}
}

/// Counts and forgets (benchmarks, probes that only need the status).
public final class HTTPDiscardingSink: HTTPBodySink {
    public private(set) var byteCount: Int64 = 0
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) throws { byteCount += Int64(bytes.count) }
}

/// SHA-256 of the body as it streams past (verify a download without keeping it).
public final class HTTPHashingSink: HTTPBodySink {
    private let hasher = StreamingSHA256()
    public private(set) var byteCount: Int64 = 0
    public private(set) var digest: [UInt8]?
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bytes)
        byteCount += Int64(bytes.count)
    }
    public func finish() throws { digest = hasher.finish() }
    /// Lower-case hex of the digest, once finished.
    public var hexDigest: String? { digest.map { $0.map { Digest.hexByte($0).lowercased() }.joined() } }
}

/// Hands each piece to a closure.
public final class HTTPClosureSink: HTTPBodySink {
    private let body: (UnsafeRawBufferPointer) throws -> Void
    public init(_ body: @escaping (UnsafeRawBufferPointer) throws -> Void) { self.body = body }
    public func write(_ bytes: UnsafeRawBufferPointer) throws { try body(bytes) }
}
