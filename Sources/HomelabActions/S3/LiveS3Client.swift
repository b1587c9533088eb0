import Crypto
import HomelabTransport

/// S3 over HomelabTransport's libcurl client, path-style, signed with SigV4 by libcurl. Every
/// request carries `x-amz-content-sha256` (the body's SHA-256: S3 requires it, libcurl 7.88 does
/// not add it, and signing it lets the server reject a body damaged on the way).
public struct LiveS3Client: S3Client {
    let http: HTTPClient
    public let endpoint: S3Endpoint
    /// Bounds each small call (list, head, create, complete); object bodies rely on the client's
    /// low-speed limit instead, since a part or a whole object may take long on a slow uplink.
    let callTimeout: Duration

    public init(http: HTTPClient, endpoint: S3Endpoint, callTimeout: Duration = .seconds(60)) {
        self.http = http
        self.endpoint = endpoint
        self.callTimeout = callTimeout
    }

    /// What the HTTPClient for S3 should be: no total deadline (a large object may take hours),
    /// only the connect timeout and a stalled-transfer limit.
    public static func httpConfiguration(trust: HTTPServerTrust = .systemAuthorities) -> HTTPClientConfiguration {
        HTTPClientConfiguration(
            trust: trust, timeouts: HTTPTimeouts(total: nil, lowSpeed: .init(bytesPerSecond: 1, duration: .seconds(120))),
            responseBufferLimit: 4 << 20)
    }

    public func putObject(_ key: String, bytes: [UInt8]) async throws {
        _ = try await send("PUT", key: key, body: bytes, long: true)
    }

    public func createMultipartUpload(_ key: String) async throws -> String {
        let response = try await send("POST", key: key, query: [("uploads", "")])
        guard let id = S3XML.text("UploadId", in: response.text), !id.isEmpty else {
            throw S3Error(.fatal, call: S3Path.call("POST", endpoint, key: key), status: response.status, message: "the answer names no UploadId")
        }
        return id
    }

    public func uploadPart(_ key: String, uploadID: String, number: Int, bytes: [UInt8]) async throws -> String {
        let response = try await send(
            "PUT", key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)], body: bytes, long: true)
        guard let etag = response.headers["ETag"] else {
            throw S3Error(.fatal, call: S3Path.call("PUT", endpoint, key: key), status: response.status, message: "part \(number) came back without an ETag")
        }
        return etag
    }

    public func completeMultipartUpload(_ key: String, uploadID: String, parts: [S3UploadedPart]) async throws {
        var xml = "<CompleteMultipartUpload>"
        for part in parts { xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(S3XML.escape(part.etag))</ETag></Part>" }
        xml += "</CompleteMultipartUpload>"
        let call = S3Path.call("POST", endpoint, key: key)
        let response = try await send("POST", key: key, query: [("uploadId", uploadID)], body: Array(xml.utf8), contentType: "application/xml")
        // S3 may answer 200 and still fail the completion: the error is then in the body.
        if S3XML.text("Code", in: response.text) != nil, !response.text.contains("<CompleteMultipartUploadResult") {
            throw S3ErrorClassifier.from(status: 500, body: response.body, call: call, endpoint: endpoint)
        }
    }

    public func abortMultipartUpload(_ key: String, uploadID: String) async throws {
        _ = try await send("DELETE", key: key, query: [("uploadId", uploadID)])
    }

    @discardableResult
    public func getObject(
        _ key: String, range: ClosedRange<Int64>?, consume: (S3ObjectHead, [UInt8]) async throws -> Void
    ) async throws -> S3ObjectHead {
        var headers: [(String, String)] = []
        if let range { headers.append(("Range", "bytes=\(range.lowerBound)-\(range.upperBound)")) }
        let request = request("GET", key: key, headers: headers, body: nil, timeout: nil)
        let call = S3Path.call("GET", endpoint, key: key)
        var errorBody: [UInt8] = []
        let head: HTTPResponseHead
        do {
            head = try await http.send(request) { head, chunk in
                if (200...299).contains(head.status) {
                    try await consume(Self.objectHead(head), chunk)
                } else if errorBody.count < 64 * 1024 {
                    errorBody += chunk
                }
            }
        } catch let error as HTTPError {
            throw try S3ErrorClassifier.from(error, call: call)
        }
        guard (200...299).contains(head.status) else {
            throw S3ErrorClassifier.from(status: head.status, body: errorBody, call: call, endpoint: endpoint)
        }
        return Self.objectHead(head)
    }

    public func headObject(_ key: String) async throws -> S3ObjectHead {
        Self.objectHead(try await send("HEAD", key: key).head)
    }

    public func listObjects(prefix: String, continuationToken: String?, maxKeys: Int?) async throws -> S3ObjectPage {
        var query = [("list-type", "2"), ("prefix", prefix)]
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        let text = try await send("GET", key: nil, query: query).text
        let objects = S3XML.elements("Contents", in: text).compactMap { element -> S3ObjectSummary? in
            guard let key = S3XML.text("Key", in: element) else { return nil }
            return S3ObjectSummary(
                key: key, size: Int64(S3XML.text("Size", in: element) ?? "") ?? 0, etag: S3XML.text("ETag", in: element),
                lastModified: S3XML.text("LastModified", in: element).flatMap(S3XML.date))
        }
        let truncated = S3XML.text("IsTruncated", in: text) == "true"
        return S3ObjectPage(objects: objects, nextToken: truncated ? S3XML.text("NextContinuationToken", in: text) : nil)
    }

    public func deleteObject(_ key: String) async throws {
        _ = try await send("DELETE", key: key)
    }

    // MARK: requests

    private func send(
        _ method: String, key: String?, query: [(String, String)] = [], body: [UInt8]? = nil,
        contentType: String? = nil, long: Bool = false
    ) async throws -> HTTPResponse {
        var headers: [(String, String)] = []
        if let contentType { headers.append(("Content-Type", contentType)) }
        // A body-carrying call keeps the client's own deadlines (see `httpConfiguration`).
        let request = request(method, key: key, query: query, headers: headers, body: body, timeout: long ? nil : callTimeout)
        let call = S3Path.call(method, endpoint, key: key)
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch let error as HTTPError {
            throw try S3ErrorClassifier.from(error, call: call)
        }
        guard (200...299).contains(response.status) else {
            throw S3ErrorClassifier.from(status: response.status, body: response.body, call: call, endpoint: endpoint)
        }
        return response
    }

    func request(
        _ method: String, key: String?, query: [(String, String)] = [], headers extra: [(String, String)] = [],
        body: [UInt8]?, timeout: Duration?
    ) -> HTTPRequest {
        var headers = HTTPHeaders([("x-amz-content-sha256", Self.hex(SHA256.hash(data: body ?? [])))])
        for (name, value) in extra { headers.add(name, value) }
        let signature = HTTPAWSSignature(
            region: endpoint.region, service: "s3", accessKey: endpoint.credentials.accessKey, secretKey: endpoint.credentials.secretKey)
        return HTTPRequest(
            method: method, url: S3Path.url(endpoint, key: key, query: query), headers: headers,
            body: body.map { .bytes($0) } ?? .none, timeout: timeout, signature: signature)
    }

    static func objectHead(_ head: HTTPResponseHead) -> S3ObjectHead {
        S3ObjectHead(contentLength: head.headers["Content-Length"].flatMap { Int64($0) }, etag: head.headers["ETag"])
    }

    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
