import Foundation
import HomelabTransport
import LabSupport

@testable import HomelabActions

/// One moto server (lab/fixtures/s3_fixture.py, SigV4 checked for real) shared by the S3 and
/// backup store tests of this process; each test works under a key prefix of its own.
actor MotoS3 {
    static let shared = MotoS3()
    private var started: Task<S3Lab, any Error>?

    func lab() async throws -> S3Lab {
        if started == nil { started = Task { try await S3Lab.start() } }
        return try await started!.value
    }

    static func endpoint(_ lab: S3Lab, secretKey: String? = nil) -> S3Endpoint {
        S3Endpoint(
            url: lab.endpoint, region: lab.region, bucket: lab.bucket,
            credentials: S3Credentials(accessKey: lab.accessKey, secretKey: secretKey ?? lab.secretKey))
    }

    static func client(secretKey: String? = nil) async throws -> LiveS3Client {
        let lab = try await shared.lab()
        return LiveS3Client(http: try HTTPClient(configuration: LiveS3Client.httpConfiguration()), endpoint: endpoint(lab, secretKey: secretKey))
    }

    /// A key prefix no other test uses.
    static func prefix(_ name: String) -> String { "\(name)-\(UUID().uuidString.prefix(8))/" }

    /// Deterministic bytes that do not compress or repeat (xorshift), fast enough for megabytes.
    static func bytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        var out = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            var word = state
            for _ in 0..<8 where index < count {
                out[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return out
    }
}
