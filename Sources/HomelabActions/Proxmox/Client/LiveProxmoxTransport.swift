import HomelabTransport

/// ProxmoxTransport over HomelabTransport's libcurl client: token header, JSON bodies, encoded
/// query strings, multipart uploads streamed from disk with a Content-Length.
public struct LiveProxmoxTransport: ProxmoxTransport {
    let client: HTTPClient
    /// `https://host:8006/api2/json`.
    let baseURL: String
    let token: String
    let timeouts: ProxmoxTimeouts

    public init(client: HTTPClient, baseURL: String, token: String, timeouts: ProxmoxTimeouts = ProxmoxTimeouts()) {
        self.client = client
        self.baseURL = LiveProxmoxConnector.trimmed(baseURL)
        self.token = token
        self.timeouts = timeouts
    }

    public func send(_ request: ProxmoxRequest) async throws -> ProxmoxReply {
        if let whitespace = Self.whitespace(in: token) {
            // The transport would only say "header Authorization is malformed".
            throw ProxmoxError(
                .fatal, call: request.call, message: "the API token contains whitespace (\(whitespace)), which cannot be sent in a header",
                hint: "Check the secret passed as 'token': homelab drops one final newline from a file or variable, nothing else.")
        }
        let response = try await client.send(httpRequest(for: request))
        return ProxmoxReply(status: response.status, reason: response.head.reason, body: response.body)
    }

    func httpRequest(for request: ProxmoxRequest) -> HTTPRequest {
        var headers = HTTPHeaders([("Authorization", "PVEAPIToken=\(token)"), ("Accept", "application/json")])
        let body: HTTPRequestBody
        switch request.body {
        case .none:
            body = .none
        case .json(let parameters):
            headers.add("Content-Type", "application/json")
            body = .bytes(ProxmoxJSONBody.encode(parameters))
        case .upload(let upload):
            body = .multipart(ProxmoxUploadForm.form(for: upload))
        }
        let query = request.encodedQuery
        let url = baseURL + request.encodedPath + (query.isEmpty ? "" : "?" + query)
        let timeout =
            switch request.purpose {
            case .read, .dispatch: timeouts.request
            case .transfer: timeouts.transfer
            }
        return HTTPRequest(method: request.method, url: url, headers: headers, body: body, timeout: timeout)
    }

    /// What kind of whitespace a token holds, if any (never the token itself).
    static func whitespace(in token: String) -> String? {
        if token.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) { return "a line break" }
        if token.unicodeScalars.contains(where: { $0 == "\t" }) { return "a tab" }
        if token.unicodeScalars.contains(where: { $0.properties.isWhitespace }) { return "a space" }
        return nil
    }
}
