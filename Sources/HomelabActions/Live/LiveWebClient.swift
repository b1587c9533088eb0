import Foundation
import HomelabCore
import HomelabTransport

/// `WebClient` over HomelabTransport's libcurl client. Trust is fixed per `HTTPClient` (so a
/// connection opened under one trust is never reused under another): one client per trust,
/// shared by every URL (the kit's pool, without an endpoint).
public final class LiveWebClient: WebClient, Sendable {
    private let clients = HTTPClientPool()

    public init() {}

    public func fetch(_ request: WebRequest) async throws -> WebResponse {
        let client = try clients.client(for: nil, HTTPClientConfiguration(trust: try Self.serverTrust(request.trust)))
        let sink = LimitedSink(limit: WebResponse.bodyLimit)
        let head = try await client.send(
            HTTPRequest(
                method: request.method, url: request.url, headers: HTTPHeaders(request.headers),
                body: request.body.isEmpty ? .none : .bytes(request.body), timeout: request.timeout
            ), into: sink)
        return WebResponse(status: head.status, headers: head.headers.map { ($0.name, $0.value) }, body: sink.bytes)
    }

    static func serverTrust(_ trust: WebTrust) throws -> HTTPServerTrust {
        switch trust {
        case .system: return .systemAuthorities
        case .authority(let path): return .certificateAuthorityFile(path: path)
        case .insecure: return .insecureNoVerification
        case .fingerprint(let text):
            guard let fingerprint = HTTPCertificateFingerprint(text) else {
                throw ActionError("'\(text)' is not a SHA-256 certificate fingerprint: expected 32 bytes in hex, such as AA:BB:...")
            }
            return .pinnedCertificate(fingerprint)
        }
    }
}

/// Keeps the first `limit` bytes of a body and counts the rest away (a check never needs more).
private final class LimitedSink: HTTPBodySink {
    let limit: Int
    var bytes: [UInt8] = []

    init(limit: Int) { self.limit = limit }

    func write(_ chunk: UnsafeRawBufferPointer) throws {
        let room = limit - bytes.count
        if room > 0 { bytes.append(contentsOf: chunk.prefix(room)) }
    }
}
