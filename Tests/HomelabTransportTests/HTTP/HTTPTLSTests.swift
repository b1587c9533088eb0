import Foundation
import Testing

@testable import HomelabTransport

/// Server trust (CA, certificate pin, public-key pin) and client certificates.
@Suite("HTTPS trust and mutual TLS")
struct HTTPTLSTests {
    private func client(_ trust: HTTPServerTrust, identity: HTTPClientIdentity? = nil) throws -> HTTPClient {
        try HTTPClient(configuration: HTTPClientConfiguration(trust: trust, identity: identity))
    }

    @Test("the fixture's CA verifies its server, from memory and from a file")
    func trustedCA() async throws {
        let lab = try await HTTPTestLab.start()
        #expect(try await client(.certificateAuthority(pem: lab.caPEM)).send(HTTPRequest(url: lab.url("/echo"))).status == 200)
        #expect(try await client(.certificateAuthorityFile(path: lab.fixture.string("ca"))).send(HTTPRequest(url: lab.url("/echo"))).status == 200)
    }

    @Test("without the CA the server is refused with curl's reason")
    func untrustedCA() async throws {
        let lab = try await HTTPTestLab.start()
        let error = await #expect(throws: HTTPError.self) {
            try await client(.systemAuthorities).send(HTTPRequest(url: lab.url("/echo")))
        }
        guard case .tlsVerificationFailed(let reason)? = error?.kind else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(reason.contains("certificate"))
    }

    @Test("a matching certificate fingerprint passes in every accepted spelling")
    func goodCertificatePin() async throws {
        let lab = try await HTTPTestLab.start()
        for spelling in [lab.fingerprint, lab.fingerprint.lowercased(), lab.fingerprint.replacingOccurrences(of: ":", with: "")] {
            let pin = try #require(HTTPCertificateFingerprint(spelling))
            #expect(try await client(.pinnedCertificate(pin)).send(HTTPRequest(url: lab.url("/echo"))).status == 200)
        }
    }

    @Test("a wrong certificate pin is refused in the handshake: the server never sees the request")
    func wrongCertificatePin() async throws {
        let lab = try await HTTPTestLab.start()
        let before = try await lab.requestCount()
        let wrong = HTTPCertificateFingerprint(bytes: [UInt8](repeating: 0xAB, count: 32))
        let error = await #expect(throws: HTTPError.self) {
            try await client(.pinnedCertificate(wrong)).send(
                HTTPRequest(
                    method: "POST", url: lab.url("/echo"),
                    body: .bytes(Array("secret body".utf8))))
        }
        #expect(error?.kind == .pinMismatch(expected: wrong.description, actual: lab.fingerprint))
        #expect(error?.description.contains(wrong.description) == true)
        #expect(error?.description.contains(lab.fingerprint) == true)
        #expect(try await lab.requestCount() == before)
    }

    @Test("a public-key pin passes when it matches and is refused with both pins when not")
    func publicKeyPin() async throws {
        let lab = try await HTTPTestLab.start()
        let good = try #require(HTTPPublicKeyPin(lab.spkiPin))
        #expect(good.description == lab.spkiPin)
        #expect(try await client(.pinnedPublicKey(good)).send(HTTPRequest(url: lab.url("/echo"))).status == 200)
        let before = try await lab.requestCount()
        let wrong = HTTPPublicKeyPin(digest: [UInt8](repeating: 7, count: 32))
        let error = await #expect(throws: HTTPError.self) {
            try await client(.pinnedPublicKey(wrong)).send(HTTPRequest(url: lab.url("/echo")))
        }
        #expect(error?.kind == .pinMismatch(expected: wrong.description, actual: lab.spkiPin))
        #expect(try await lab.requestCount() == before)
    }

    @Test("mutual TLS is accepted with a client certificate", arguments: ["ed25519", "ecdsa", "rsa"])
    func mutualTLS(algorithm: String) async throws {
        let lab = try await HTTPTestLab.start(algorithm: algorithm, clientCerts: true)
        let response = try await lab.client(identity: lab.identity()).send(HTTPRequest(url: lab.url("/echo")))
        #expect(response.status == 200)
    }

    @Test("an Ed25519 key with Talos's `ED25519 PRIVATE KEY` label works")
    func talosLabelledKey() async throws {
        let lab = try await HTTPTestLab.start(algorithm: "ed25519", clientCerts: true)
        let identity = try lab.identity(talosLabel: true)
        #expect(!identity.description.contains("PRIVATE KEY"))
        #expect(try await lab.client(identity: identity).send(HTTPRequest(url: lab.url("/echo"))).status == 200)
    }

    @Test("a server that requires a client certificate refuses a client without one")
    func mutualTLSWithoutCertificate() async throws {
        let lab = try await HTTPTestLab.start(algorithm: "ecdsa", clientCerts: true)
        let error = await #expect(throws: HTTPError.self) {
            try await lab.client().send(HTTPRequest(url: lab.url("/echo")))
        }
        guard case .tlsHandshakeFailed(let reason)? = error?.kind else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(reason.contains("client certificate"))
    }
}
