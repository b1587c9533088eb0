import Testing

@testable import HomelabTransport

@Suite("HTTP pieces without a network")
struct HTTPUnitTests {
    @Test("fingerprints parse from Proxmox's form, lower case and plain hex, and print as AA:BB")
    func fingerprintSpellings() throws {
        let canonical = (0..<32).map { Digest.hexByte(UInt8($0 * 7 % 256)) }.joined(separator: ":")
        let parsed = try #require(HTTPCertificateFingerprint(canonical))
        #expect(parsed.description == canonical)
        #expect(HTTPCertificateFingerprint(canonical.lowercased()) == parsed)
        #expect(HTTPCertificateFingerprint(canonical.replacingAll(":", with: "")) == parsed)
        #expect(HTTPCertificateFingerprint("AB:CD") == nil)
        #expect(HTTPCertificateFingerprint(String(repeating: "ZZ", count: 32)) == nil)
    }

    @Test("public-key pins round-trip through curl's sha256// form")
    func publicKeyPins() throws {
        let digest = (0..<32).map { UInt8($0 * 13 % 256) }
        let pin = HTTPPublicKeyPin(digest: digest)
        #expect(HTTPPublicKeyPin(pin.description) == pin)
        #expect(HTTPPublicKeyPin("sha256//not base64!") == nil)
        #expect(HTTPPublicKeyPin("md5//AAAA") == nil)
    }

    @Test("the header parser skips 100 Continue, keeps the final head and collects trailers")
    func headerParser() {
        var parser = ResponseHeaderParser()
        #expect(parser.consume("HTTP/1.1 100 Continue\r\n") == nil)
        #expect(parser.consume("\r\n") == nil)
        #expect(parser.consume("HTTP/2 200 \r\n") == nil)
        #expect(parser.consume("content-type: application/grpc\r\n") == nil)
        let head = parser.consume("\r\n")
        #expect(head == HTTPResponseHead(status: 200, headers: HTTPHeaders([("content-type", "application/grpc")]), version: "2"))
        _ = parser.consume("grpc-status: 0\r\n")
        _ = parser.consume("grpc-message:  \r\n")
        #expect(parser.trailers == HTTPHeaders([("grpc-status", "0"), ("grpc-message", "")]))
    }

    @Test("the reason phrase is kept whole, spaces and all (Proxmox puts its error there)")
    func reasonPhrase() {
        var parser = ResponseHeaderParser()
        _ = parser.consume("HTTP/1.1 500 VM is locked (create)\r\n")
        let head = parser.consume("\r\n")
        #expect(head?.status == 500)
        #expect(head?.reason == "VM is locked (create)")
    }

    @Test("Talos's ED25519 PRIVATE KEY label becomes PRIVATE KEY, body untouched")
    func talosLabel() {
        let identity = HTTPClientIdentity(
            certificatePEM: "cert",
            privateKeyPEM: "-----BEGIN ED25519 PRIVATE KEY-----\nMC4CAQ\n-----END ED25519 PRIVATE KEY-----\n")
        #expect(identity.keyPEM == "-----BEGIN PRIVATE KEY-----\nMC4CAQ\n-----END PRIVATE KEY-----\n")
    }

    @Test("URLs in errors lose user information and queries")
    func redaction() {
        #expect(HTTPError.redacted("https://user:pw@pve:8006/api2/json?ticket=x") == "https://pve:8006/api2/json?…")
        #expect(HTTPError.redacted("https://pve:8006/a@b") == "https://pve:8006/a@b")
    }
}
