import HomelabActions
import LabSupport
import Testing

/// The lab's S3 server as homelab's HTTP client (libcurl) meets it: on loopback, with the bucket,
/// and refusing what is not signed with its keys, as a real S3 does.
@Suite struct S3LabTests {
    @Test func theBucketIsThereAndAnUnsignedRequestIsRefused() async throws {
        let authenticated = try await S3Lab.start()
        defer { authenticated.fixture.stopInBackground() }
        #expect(authenticated.bucket == "homelab-backups")
        #expect(authenticated.endpoint.hasPrefix("http://127.0.0.1:"))
        #expect(!authenticated.accessKey.isEmpty && !authenticated.secretKey.isEmpty)
        let refused = try await LiveWebClient().fetch(WebRequest(url: "\(authenticated.endpoint)/\(authenticated.bucket)"))
        #expect(refused.status == 403)
        #expect(refused.text.contains("<Code>AccessDenied</Code>"))

        let open = try await S3Lab.start(authenticated: false)
        defer { open.fixture.stopInBackground() }
        let listed = try await LiveWebClient().fetch(WebRequest(url: "\(open.endpoint)/\(open.bucket)"))
        #expect(listed.status == 200)
        #expect(listed.text.contains("<Name>homelab-backups</Name>"))
    }
}
