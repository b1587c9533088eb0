import Foundation
import LabSupport

@testable import HomelabTransport

/// The HTTPS fixture (lab/fixtures/https_fixture.py) and what the HTTP tests derive from it.
struct HTTPTestLab {
    let fixture: LabFixture

    static func start(algorithm: String = "ecdsa", clientCerts: Bool = false, http2: Bool = false) async throws -> HTTPTestLab {
        var arguments = ["--algorithm", algorithm, "--client-certs", clientCerts ? "required" : "none"]
        if http2 { arguments.append("--h2") }
        return HTTPTestLab(fixture: try await LabFixture.start("https_fixture.py", arguments))
    }

    var port: Int { fixture.int("port") }
    func url(_ path: String) -> String { "https://127.0.0.1:\(port)\(path)" }
    var caPEM: String { (try? String(contentsOfFile: fixture.string("ca"), encoding: .utf8)) ?? "" }
    var fingerprint: String { fixture.string("server_fingerprint") }
    var spkiPin: String { fixture.string("server_spki_pin") }

    func identity(talosLabel: Bool = false) throws -> HTTPClientIdentity {
        let key = fixture.string(talosLabel ? "client_key_talos" : "client_key")
        return HTTPClientIdentity(
            certificatePEM: try String(contentsOfFile: fixture.string("client_cert"), encoding: .utf8),
            privateKeyPEM: try String(contentsOfFile: key, encoding: .utf8))
    }

    /// A client that trusts the fixture's CA.
    func client(identity: HTTPClientIdentity? = nil, timeouts: HTTPTimeouts = HTTPTimeouts()) throws -> HTTPClient {
        try HTTPClient(
            configuration: HTTPClientConfiguration(
                trust: .certificateAuthority(pem: caPEM),
                identity: identity, timeouts: timeouts))
    }

    /// Requests the fixture has received (not counting these questions).
    func requestCount() async throws -> Int {
        let response = try await client().send(HTTPRequest(url: url("/counter")))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return (object?["requests"] as? Int) ?? -1
    }

    /// The bytes /bytes/N serves: byte i is (i*31+7) mod 256.
    static func pattern(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    }

    static func hex(_ digest: [UInt8]) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    static func json(_ response: HTTPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }
}
