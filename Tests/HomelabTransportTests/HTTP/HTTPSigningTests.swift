import Foundation
import Testing

@testable import HomelabTransport

/// SigV4 signing by libcurl and responses handed to an async consumer, against the HTTPS fixture.
/// (Signatures checked by a real S3 server: LiveS3ClientTests.)
@Suite("HTTP signing and async consumers")
struct HTTPSigningTests {
    @Test("a signed request carries a SigV4 Authorization naming the access key, never the secret")
    func signedRequest() async throws {
        let lab = try await HTTPTestLab.start()
        let signature = HTTPAWSSignature(region: "eu-central-1", service: "s3", accessKey: "AKIDHOMELABTEST", secretKey: "very+secret/key")
        let body = Array("object".utf8)
        let response = try await lab.client().send(
            HTTPRequest(
                method: "PUT", url: lab.url("/echo"), headers: HTTPHeaders([("x-amz-content-sha256", HTTPTestLab.hex(Digest.sha256(body)))]),
                body: .bytes(body), signature: signature))
        let headers = try HTTPTestLab.json(response)["headers"] as? [String: String] ?? [:]
        let authorization = headers["authorization"] ?? ""
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDHOMELABTEST/"))
        #expect(authorization.contains("/eu-central-1/s3/aws4_request"))
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date"))
        #expect(headers["x-amz-date"] != nil)
        #expect(!headers.values.contains { $0.contains("very+secret/key") })
        #expect(!"\(signature)".contains("very+secret/key"))
    }

    @Test("an async consumer gets the body in order; its own error stops the transfer and comes back as itself")
    func asyncConsumer() async throws {
        let lab = try await HTTPTestLab.start()
        let client = try lab.client()
        var received: [UInt8] = []
        let head = try await client.send(HTTPRequest(url: lab.url("/bytes/3000000"))) { head, chunk in
            #expect(head.status == 200)
            await Task.yield()
            received += chunk
        }
        #expect(head.status == 200)
        #expect(received == HTTPTestLab.pattern(3_000_000))

        struct Refused: Error {}
        var taken = 0
        await #expect(throws: Refused.self) {
            try await client.send(HTTPRequest(url: lab.url("/bytes/50000000"))) { _, chunk in
                taken += chunk.count
                if taken > 1_000_000 { throw Refused() }
            }
        }
        // The client carries on with the next request.
        #expect(try await client.send(HTTPRequest(url: lab.url("/bytes/10"))).body == HTTPTestLab.pattern(10))
    }
}
