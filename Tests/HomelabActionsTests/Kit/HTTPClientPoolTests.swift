import HomelabTransport
import Testing

@testable import HomelabActions

/// One HTTPClient per endpoint and configuration: never shared across trusts or identities.
struct HTTPClientPoolTests {
    let pin = HTTPCertificateFingerprint(bytes: [UInt8](repeating: 0xAB, count: 32))
    let other = HTTPCertificateFingerprint(bytes: [UInt8](repeating: 0xCD, count: 32))

    @Test func oneClientPerEndpointAndTrust() throws {
        let pool = HTTPClientPool()
        let pinned = HTTPClientConfiguration(trust: .pinnedCertificate(pin), timeouts: ProxmoxTimeouts().http)
        let first = try pool.client(for: "https://pve:8006/api2/json", pinned)
        #expect(try pool.client(for: "https://pve:8006/api2/json", pinned) === first)
        #expect(try pool.client(for: "https://pve:8006/api2/json", HTTPClientConfiguration(trust: .pinnedCertificate(other))) !== first)
        #expect(try pool.client(for: "https://pve2:8006/api2/json", pinned) !== first)
        #expect(pool.count == 3)
        #expect(first.configuration.timeouts.connect == .seconds(10))
        #expect(first.configuration.timeouts.total == nil)
    }

    @Test func aClientIdentityIsPartOfTheKey() throws {
        let pool = HTTPClientPool()
        let identity = HTTPClientIdentity(certificatePEM: "cert", privateKeyPEM: "key")
        let plain = try pool.client(for: "https://10.0.0.5:50000", HTTPClientConfiguration(trust: .insecureNoVerification))
        let mutual = try pool.client(for: "https://10.0.0.5:50000", HTTPClientConfiguration(trust: .insecureNoVerification, identity: identity))
        #expect(plain !== mutual)
    }

    @Test func withoutAnEndpointOneClientServesEveryURLOfATrust() throws {
        let pool = HTTPClientPool()
        let system = HTTPClientConfiguration()
        #expect(try pool.client(for: nil, system) === pool.client(for: nil, system))
        #expect(try pool.client(for: nil, HTTPClientConfiguration(trust: .insecureNoVerification)) !== pool.client(for: nil, system))
        #expect(pool.count == 2)
    }
}
