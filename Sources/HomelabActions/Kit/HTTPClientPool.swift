import Foundation
import HomelabTransport
import Synchronization

/// The HTTPClients an integration made, one per (endpoint, configuration): a connection opened
/// under one trust or client identity is never reused under another, and each client (one
/// event-loop thread) is made once and kept for the pool's life.
final class HTTPClientPool: Sendable {
    private struct Entry {
        var endpoint: String?
        var configuration: HTTPClientConfiguration
        var client: HTTPClient
    }

    /// A handful of entries per run: a list is enough, and needs no Hashable trust.
    private let entries = Mutex<[Entry]>([])

    init() {}

    /// The client for `endpoint` (nil: one client shared by every endpoint, as for http.check)
    /// with `configuration`, made on first use.
    func client(for endpoint: String?, _ configuration: HTTPClientConfiguration) throws -> HTTPClient {
        try entries.withLock { entries in
            if let entry = entries.first(where: { $0.endpoint == endpoint && $0.configuration == configuration }) {
                return entry.client
            }
            let client = try HTTPClient(configuration: configuration)
            entries.append(Entry(endpoint: endpoint, configuration: configuration, client: client))
            return client
        }
    }

    /// How many clients the pool holds (tests check that it reuses them).
    var count: Int { entries.withLock { $0.count } }
}
