import Foundation
import HomelabTransport

/// The HTTPClients an integration made, one per (endpoint, configuration): a connection opened
/// under one trust or client identity is never reused under another, and each client (one
/// event-loop thread) is made once and kept for the pool's life.
final class HTTPClientPool: @unchecked Sendable {
    private struct Entry {
        var endpoint: String?
        var configuration: HTTPClientConfiguration
        var client: HTTPClient
    }

    private let lock = NSLock()
    /// A handful of entries per run: a list is enough, and needs no Hashable trust.
    private var entries: [Entry] = []

    init() {}

    /// The client for `endpoint` (nil: one client shared by every endpoint, as for http.check)
    /// with `configuration`, made on first use.
    func client(for endpoint: String?, _ configuration: HTTPClientConfiguration) throws -> HTTPClient {
        try lock.withLock {
            if let entry = entries.first(where: { $0.endpoint == endpoint && $0.configuration == configuration }) {
                return entry.client
            }
            let client = try HTTPClient(configuration: configuration)
            entries.append(Entry(endpoint: endpoint, configuration: configuration, client: client))
            return client
        }
    }

    /// How many clients the pool holds (tests check that it reuses them).
    var count: Int { lock.withLock { entries.count } }
}
