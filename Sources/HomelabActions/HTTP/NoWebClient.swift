import HomelabCore

/// For contexts that handed in no HTTP client (tests of other integrations): every request is
/// refused.
public struct NoWebClient: WebClient {
    public init() {}

    public func fetch(_ request: WebRequest) async throws -> WebResponse {
        throw ActionError("no HTTP client is available here (asked for \(request.method) \(request.url))")
    }
}
