import HomelabTransport
import Testing

@testable import HomelabActions

struct S3RequestTests {
    let endpoint = S3Endpoint(
        url: "http://127.0.0.1:9000/", region: "eu-central-1", bucket: "homelab-backups",
        credentials: S3Credentials(accessKey: "AKIDEXAMPLE", secretKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))

    @Test func keysArePathStyleAndCanonicallyEncoded() {
        #expect(
            S3Path.url(endpoint, key: "backups/tank/apps/immich/homelab-2026-12-01-0300.zstream")
                == "http://127.0.0.1:9000/homelab-backups/backups/tank/apps/immich/homelab-2026-12-01-0300.zstream")
        #expect(S3Path.url(endpoint, key: "a b+c/ü~") == "http://127.0.0.1:9000/homelab-backups/a%20b%2Bc/%C3%BC~")
    }

    @Test func queryParametersAreSortedAndEachHasAnEqualsSign() {
        // libcurl 7.88 signs the query as written, so it must already be S3's canonical form.
        let url = S3Path.url(endpoint, key: nil, query: [("prefix", "tank/apps/"), ("list-type", "2"), ("continuation-token", "a+b/c=")])
        #expect(url == "http://127.0.0.1:9000/homelab-backups?continuation-token=a%2Bb%2Fc%3D&list-type=2&prefix=tank%2Fapps%2F")
        #expect(S3Path.url(endpoint, key: "k", query: [("uploads", "")]) == "http://127.0.0.1:9000/homelab-backups/k?uploads=")
    }

    @Test func everyRequestIsSignedAndCarriesItsPayloadHash() throws {
        let client = LiveS3Client(http: try HTTPClient(), endpoint: endpoint)
        let request = client.request("PUT", key: "k", body: Array("hello".utf8), timeout: nil)
        #expect(request.signature?.provider == "aws:amz:eu-central-1:s3")
        #expect(request.signature?.accessKey == "AKIDEXAMPLE")
        #expect(request.headers["x-amz-content-sha256"] == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        let empty = client.request("GET", key: "k", body: nil, timeout: nil)
        #expect(empty.headers["x-amz-content-sha256"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func theSecretNeverShowsInADescription() throws {
        let client = LiveS3Client(http: try HTTPClient(), endpoint: endpoint)
        let request = client.request("GET", key: "k", body: nil, timeout: nil)
        for text in ["\(endpoint)", "\(endpoint.credentials)", "\(request.signature!)"] {
            #expect(!text.contains("wJalrXUtnFEMI"))
        }
        let error = S3ErrorClassifier.from(status: 403, body: Array(Self.signatureError.utf8), call: "GET homelab-backups/k", endpoint: endpoint)
        #expect(!"\(error)".contains("wJalrXUtnFEMI"))
        #expect("\(error)".contains("AKIDEXAMPLE"))
    }

    static let signatureError = """
        <?xml version="1.0" encoding="utf-8"?>
        <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><RequestId>C2pMvXR9</RequestId></Error>
        """

    @Test func errorBodiesAreParsedAndClassified() {
        let error = S3ErrorClassifier.from(status: 403, body: Array(Self.signatureError.utf8), call: "GET homelab-backups/k", endpoint: endpoint)
        #expect(error.kind == .unauthorized)
        #expect(error.code == "SignatureDoesNotMatch")
        #expect(error.requestID == "C2pMvXR9")
        #expect(error.message.hasPrefix("The request signature we calculated"))
        #expect("\(error)".contains("GET homelab-backups/k: SignatureDoesNotMatch: The request signature"))
        #expect("\(error)".contains("(HTTP 403, request id C2pMvXR9)"))

        let missing = S3ErrorClassifier.from(
            status: 404, body: Array("<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>".utf8),
            call: "GET b/k", endpoint: endpoint)
        #expect(missing.kind == .notFound)
        #expect(S3ErrorClassifier.classify(status: 503, code: "SlowDown") == .transient)
        #expect(S3ErrorClassifier.classify(status: 500, code: nil) == .transient)
        #expect(S3ErrorClassifier.classify(status: 404, code: nil) == .notFound)
        #expect(S3ErrorClassifier.classify(status: 403, code: "AccessDenied") == .forbidden)
        #expect(S3ErrorClassifier.classify(status: 404, code: "NoSuchBucket") == .noSuchBucket)
        #expect(S3ErrorClassifier.classify(status: 400, code: "InvalidPart") == .fatal)
    }

    @Test func transportFailuresAreTransientWhenWorthARetry() throws {
        let dropped = try S3ErrorClassifier.from(HTTPError(.connectionDropped("reset"), method: "PUT", url: "http://h/b/k"), call: "PUT b/k")
        #expect(dropped.kind == .transient)
        let refused = try S3ErrorClassifier.from(HTTPError(.invalidRequest("bad"), method: "PUT", url: "http://h/b/k"), call: "PUT b/k")
        #expect(refused.kind == .fatal)
        #expect(throws: CancellationError.self) { try S3ErrorClassifier.from(HTTPError(.cancelled, method: "GET", url: "http://h"), call: "GET b/k") }
    }

    @Test func listingXMLIsRead() {
        let xml = """
            <ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a&amp;b</Key><Size>12</Size><ETag>&quot;x&quot;</ETag></Contents>\
            <Contents><Key>c</Key><Size>0</Size></Contents><NextContinuationToken>tok+/=</NextContinuationToken></ListBucketResult>
            """
        let contents = S3XML.elements("Contents", in: xml)
        #expect(contents.count == 2)
        #expect(S3XML.text("Key", in: contents[0]) == "a&b")
        #expect(S3XML.text("ETag", in: contents[0]) == "\"x\"")
        #expect(S3XML.text("NextContinuationToken", in: xml) == "tok+/=")
        #expect(S3XML.escape("<a&'\">") == "&lt;a&amp;&apos;&quot;&gt;")
        // LastModified, with and without the fraction S3 writes.
        #expect(S3XML.date("2026-12-07T03:00:00.000Z")?.timeIntervalSince1970 == 1_796_612_400)
        #expect(S3XML.date("2026-12-07T03:00:00Z")?.timeIntervalSince1970 == 1_796_612_400)
        #expect(S3XML.date("yesterday") == nil)
    }
}
