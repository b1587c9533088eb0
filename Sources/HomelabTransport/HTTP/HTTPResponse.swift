/// A response read into memory.
public struct HTTPResponse: Sendable {
    public var head: HTTPResponseHead
    public var body: [UInt8]
    public var trailers: HTTPHeaders
    let method: String
    let url: String

    public var status: Int { head.status }
    public var headers: HTTPHeaders { head.headers }
    public var text: String { String(decoding: body, as: UTF8.self) }

    init(head: HTTPResponseHead, body: [UInt8], trailers: HTTPHeaders, method: String, url: String) {
        self.head = head
        self.body = body
        self.trailers = trailers
        self.method = method
        self.url = url
    }

    /// Throws `HTTPError.status` (with the start of the body) unless the status is accepted.
    @discardableResult
    public func requireStatus(_ accepted: ClosedRange<Int> = 200...299) throws -> HTTPResponse {
        guard accepted.contains(status) else {
            throw HTTPError(.status(status, bodyExcerpt: HTTPResponse.excerpt(body)), method: method, url: url)
        }
        return self
    }

    static func excerpt(_ body: [UInt8], limit: Int = 512) -> String {
        let text = String(decoding: body.prefix(limit), as: UTF8.self)
        return body.count > limit ? text + "…" : text
    }
}
