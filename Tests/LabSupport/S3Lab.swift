import Foundation

/// An S3 server on loopback: lab/fixtures/s3_fixture.py (moto's server mode), with the bucket
/// `homelab-backups` and fixed keys. Requests are SigV4-authenticated for real unless started
/// with `authenticated: false`, so a wrong key or a bad signature gets S3's 403.
public final class S3Lab: Sendable {
    public let fixture: LabFixture

    private init(fixture: LabFixture) { self.fixture = fixture }

    public static func start(bucket: String? = nil, authenticated: Bool = true) async throws -> S3Lab {
        var arguments: [String] = []
        if let bucket { arguments += ["--bucket", bucket] }
        if !authenticated { arguments.append("--no-auth") }
        return S3Lab(fixture: try await LabFixture.start("s3_fixture.py", arguments, timeout: 120))
    }

    /// `http://127.0.0.1:PORT` (path-style addressing: `ENDPOINT/BUCKET/KEY`).
    public var endpoint: String { fixture.string("endpoint") }
    public var port: Int { fixture.int("port") }
    public var region: String { fixture.string("region") }
    public var bucket: String { fixture.string("bucket") }
    public var accessKey: String { fixture.string("access_key") }
    public var secretKey: String { fixture.string("secret_key") }

    public func stop() async { await fixture.stop() }
}
