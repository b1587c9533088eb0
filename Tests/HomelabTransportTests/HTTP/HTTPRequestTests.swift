import Foundation
import Testing

@testable import HomelabTransport

/// Methods, headers and bodies against the HTTPS fixture (HTTP/1.1).
@Suite("HTTP requests and bodies")
struct HTTPRequestTests {
    @Test("GET, POST, PUT and DELETE reach the server with their headers and bodies", arguments: ["GET", "POST", "PUT", "DELETE"])
    func methodsWithBodies(method: String) async throws {
        let lab = try await HTTPTestLab.start()
        let client = try lab.client()
        let body: [UInt8] = method == "GET" ? [] : Array("payload for \(method)".utf8)
        let response = try await client.send(
            HTTPRequest(
                method: method, url: lab.url("/echo"),
                headers: HTTPHeaders([("X-Homelab-Test", "yes"), ("Authorization", "PVEAPIToken=secret")]),
                body: body.isEmpty ? .none : .bytes(body)))
        #expect(response.status == 200)
        #expect(response.head.version == "1.1")
        let echo = try HTTPTestLab.json(response)
        #expect(echo["method"] as? String == method)
        #expect(echo["body_size"] as? Int == body.count)
        #expect(echo["body_sha256"] as? String == HTTPTestLab.hex(Digest.sha256(body)))
        let headers = echo["headers"] as? [String: String] ?? [:]
        #expect(headers["x-homelab-test"] == "yes")
        #expect(headers["user-agent"] == "homelab")
        #expect(headers["expect"] == nil)
    }

    @Test("a body from memory goes out with Content-Length, not chunked")
    func memoryBodyHasLength() async throws {
        let lab = try await HTTPTestLab.start()
        let body = HTTPTestLab.pattern(300_000)
        let response = try await lab.client().send(HTTPRequest(method: "POST", url: lab.url("/echo"), body: .bytes(body)))
        let headers = try HTTPTestLab.json(response)["headers"] as? [String: String] ?? [:]
        #expect(headers["content-length"] == "300000")
        #expect(headers["transfer-encoding"] == nil)
    }

    @Test("a body streamed from a file arrives whole, with its length and progress reported")
    func uploadFromFile() async throws {
        let lab = try await HTTPTestLab.start()
        let path = NSTemporaryDirectory() + "homelab-upload-\(UUID().uuidString)"
        let contents = HTTPTestLab.pattern(5_000_000)
        try Data(contents).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let progress = ProgressLog()
        let response = try await lab.client().send(
            HTTPRequest(
                method: "PUT", url: lab.url("/echo"), body: .file(path: path), progress: { progress.append($0) }))
        let echo = try HTTPTestLab.json(response)
        #expect(echo["body_size"] as? Int == contents.count)
        #expect(echo["body_sha256"] as? String == HTTPTestLab.hex(Digest.sha256(contents)))
        #expect((echo["headers"] as? [String: String])?["content-length"] == "5000000")
        let last = try #require(progress.entries.last)
        #expect(last.sentBytes == 5_000_000)
        #expect(last.totalToSend == 5_000_000)
    }

    @Test("a missing body file fails before anything is sent, naming the file")
    func missingBodyFile() async throws {
        let lab = try await HTTPTestLab.start()
        let error = await #expect(throws: HTTPError.self) {
            try await lab.client().send(HTTPRequest(method: "POST", url: lab.url("/echo"), body: .file(path: "/nonexistent/iso.img")))
        }
        guard case .localIO(let reason)? = error?.kind else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(reason.contains("/nonexistent/iso.img"))
    }

    @Test("multipart/form-data upload streams a file part with Content-Length known up front")
    func multipartUpload() async throws {
        let lab = try await HTTPTestLab.start()
        let path = NSTemporaryDirectory() + "homelab-iso-\(UUID().uuidString).iso"
        let contents = HTTPTestLab.pattern(2_500_000)
        try Data(contents).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var form = HTTPMultipartForm()
        form.addField("content", "iso")
        form.addFile(name: "filename", path: path, filename: "talos.iso", contentType: "application/x-iso9660-image")
        let response = try await lab.client().send(HTTPRequest(method: "POST", url: lab.url("/upload"), body: .multipart(form)))
        let echo = try HTTPTestLab.json(response)
        #expect(echo["transfer_encoding"] is NSNull)
        let length = Int(echo["content_length"] as? String ?? "") ?? -1
        #expect(length == echo["body_size"] as? Int)
        #expect(length > contents.count)
        let parts = echo["parts"] as? [[String: Any]] ?? []
        #expect(parts.count == 2)
        #expect(parts.first?["name"] as? String == "content")
        #expect(parts.first?["value"] as? String == "iso")
        #expect(parts.last?["name"] as? String == "filename")
        #expect(parts.last?["filename"] as? String == "talos.iso")
        #expect(parts.last?["size"] as? Int == contents.count)
        #expect(parts.last?["sha256"] as? String == HTTPTestLab.hex(Digest.sha256(contents)))
        #expect((echo["content_type"] as? String)?.hasPrefix("multipart/form-data; boundary=") == true)
    }

    @Test("a download streams into a hashing sink with a matching checksum and progress")
    func downloadToHashingSink() async throws {
        let lab = try await HTTPTestLab.start()
        let progress = ProgressLog()
        let sink = HTTPHashingSink()
        let head = try await lab.client().send(
            HTTPRequest(url: lab.url("/bytes/20000000"), progress: { progress.append($0) }), into: sink)
        #expect(head.status == 200)
        #expect(sink.byteCount == 20_000_000)
        #expect(sink.digest == Digest.sha256(HTTPTestLab.pattern(20_000_000)))
        let entries = progress.entries
        #expect(entries.count >= 2)
        #expect(entries.last?.receivedBytes == 20_000_000)
        #expect(entries.last?.totalToReceive == 20_000_000)
        #expect(zip(entries, entries.dropFirst()).allSatisfy { $0.receivedBytes <= $1.receivedBytes })
    }

    @Test("a download into a file sink lands under its name only when complete")
    func downloadToFile() async throws {
        let lab = try await HTTPTestLab.start()
        let path = NSTemporaryDirectory() + "homelab-download-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await lab.client().send(HTTPRequest(url: lab.url("/bytes/1000000")), into: HTTPFileSink(path: path))
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written == HTTPTestLab.pattern(1_000_000))
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    @Test("a slow sink pauses the transfer instead of buffering the whole body")
    func slowSinkIsBackpressured() async throws {
        let lab = try await HTTPTestLab.start()
        let client = try HTTPClient(
            configuration: HTTPClientConfiguration(
                trust: .certificateAuthority(pem: lab.caPEM), responseBufferLimit: 64 * 1024))
        let progress = ProgressLog()
        var largestLead: Int64 = 0
        var consumed: Int64 = 0
        let sink = HTTPClosureSink { bytes in
            consumed += Int64(bytes.count)
            // How far the network side has run ahead of what the sink has taken.
            if let received = progress.entries.last?.receivedBytes { largestLead = max(largestLead, received - consumed) }
            usleep(2_000)
        }
        try await client.send(HTTPRequest(url: lab.url("/bytes/8000000"), progress: { progress.append($0) }), into: sink)
        #expect(consumed == 8_000_000)
        // Bounded by the buffer limit plus what curl and the socket hold, far below the 8 MB body.
        #expect(largestLead < 2_000_000)
    }

    @Test("send returns any status; requireStatus turns a refusal into an error with the body")
    func statusHandling() async throws {
        let lab = try await HTTPTestLab.start()
        let response = try await lab.client().send(HTTPRequest(url: lab.url("/status/503")))
        #expect(response.status == 503)
        #expect(response.text == "status 503 body")
        let error = #expect(throws: HTTPError.self) { try response.requireStatus() }
        #expect(error?.kind == .status(503, bodyExcerpt: "status 503 body"))
        #expect(error?.description.contains("GET https://127.0.0.1:\(lab.port)/status/503: HTTP 503") == true)
    }

    @Test("headers with line breaks are refused before anything is sent")
    func headerInjectionRefused() async throws {
        let lab = try await HTTPTestLab.start()
        let error = await #expect(throws: HTTPError.self) {
            try await lab.client().send(HTTPRequest(url: lab.url("/echo"), headers: HTTPHeaders([("X-Evil", "a\r\nHost: other")])))
        }
        guard case .invalidRequest? = error?.kind else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
    }
}

/// Progress reports collected from the event-loop thread.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [HTTPProgress] = []
    func append(_ progress: HTTPProgress) { lock.withLock { stored.append(progress) } }
    var entries: [HTTPProgress] { lock.withLock { stored } }
}
