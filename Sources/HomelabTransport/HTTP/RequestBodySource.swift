/// What curl's read callback gets from a request body on the event-loop thread.
enum BodyRead {
    case bytes(Int)
    case end
    /// Nothing queued yet (a streaming writer is behind): pause the upload until told.
    case pause
    case failed(String)
}

/// A request body read on the event-loop thread, in order, once.
protocol RequestBodySource: AnyObject, Sendable {
    /// Bytes in total when known up front (sent as Content-Length); nil streams it
    /// (chunked on HTTP/1.1, DATA frames until END_STREAM on HTTP/2).
    var length: Int64? { get }
    func read(into buffer: UnsafeMutableRawBufferPointer) -> BodyRead
    /// Transfer over: release files, fail waiting writers.
    func close(_ error: Error?)
}
