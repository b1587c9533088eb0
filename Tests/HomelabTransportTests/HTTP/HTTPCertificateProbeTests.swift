import Foundation
import Testing

@testable import HomelabTransport

/// The probe learns a server's certificate in the handshake and sends it nothing.
@Suite("HTTPS certificate probe")
struct HTTPCertificateProbeTests {
    @Test("the probe names the certificate the server presents, and the server sees no request")
    func learnsTheFingerprintWithoutSending() async throws {
        let lab = try await HTTPTestLab.start()
        let before = try await lab.requestCount()
        let client = try HTTPClient(configuration: HTTPCertificateProbe.configuration())
        let presented = try await HTTPCertificateProbe.presentedFingerprint(at: lab.url("/echo"), using: client, timeout: .seconds(10))
        #expect(presented.description == lab.fingerprint)
        #expect(try await lab.requestCount() == before)
    }

    @Test("a plain http URL and a closed port are failures of their own kind")
    func failuresSayWhy() async throws {
        let client = try HTTPClient(configuration: HTTPCertificateProbe.configuration(timeouts: HTTPTimeouts(connect: .seconds(5))))
        await #expect {
            try await HTTPCertificateProbe.presentedFingerprint(at: "http://127.0.0.1:1/", using: client, timeout: .seconds(5))
        } throws: { error in
            if case .notHTTPS(let url)? = error as? HTTPCertificateProbe.Failure { return url == "http://127.0.0.1:1/" }
            return false
        }
        await #expect {
            try await HTTPCertificateProbe.presentedFingerprint(at: "https://127.0.0.1:1/", using: client, timeout: .seconds(5))
        } throws: { error in
            if case .unreachable(let http)? = error as? HTTPCertificateProbe.Failure { return http.kind == .connectionRefused }
            return false
        }
    }
}
