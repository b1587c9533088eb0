import Foundation
import HomelabTransport

/// The HTTPClients a connector made, one per (url, trust): a pool never crosses trusts.
final class ProxmoxHTTPClients: @unchecked Sendable {
    private struct Key: Hashable {
        var url: String
        var trust: String
    }

    private let lock = NSLock()
    private var clients: [Key: HTTPClient] = [:]

    func client(url: String, trust: HTTPServerTrust, timeouts: ProxmoxTimeouts) throws -> HTTPClient {
        try lock.withLock {
            let key = Key(url: url, trust: "\(trust)")
            if let client = clients[key] { return client }
            let client = try HTTPClient(configuration: HTTPClientConfiguration(trust: trust, timeouts: timeouts.http))
            clients[key] = client
            return client
        }
    }
}
