import Foundation
import Testing

@testable import HomelabTransport

/// `openStream` against real peers (HTTP/2 with trailers, and HTTP/1.1): what gRPC is built on.
@Suite("HTTP streaming exchanges")
struct HTTPStreamTests {
    @Test("request body streams out while the response streams back, then trailers arrive")
    func echoStreamWithTrailers() async throws {
        let lab = try await HTTPTestLab.start(http2: true)
        let client = try lab.client()
        let exchange = try await client.openStream(
            method: "POST", url: lab.url("/echo-stream"),
            headers: HTTPHeaders([("content-type", "application/octet-stream")]),
            timeout: .seconds(60))
        // Read while writing: the peer echoes as it receives.
        let reader = Task {
            var received: [UInt8] = []
            for try await chunk in exchange.bodyChunks() { received += chunk }
            return received
        }
        var sent: [UInt8] = []
        for index in 0..<64 {
            let piece = [UInt8](repeating: UInt8(index), count: 16 * 1024 + index)
            sent += piece
            try await exchange.write(piece)
        }
        try await exchange.finish()
        let head = try await exchange.head()
        #expect(head.status == 200)
        #expect(head.version == "2")
        let received = try await reader.value
        #expect(received.count == sent.count)
        #expect(received == sent)
        let trailers = try await exchange.trailers()
        #expect(trailers["x-received-bytes"] == String(sent.count))
        #expect(trailers["x-received-sha256"] == HTTPTestLab.hex(Digest.sha256(sent)))
        #expect(trailers["grpc-status"] == "0")
    }

    @Test("the response head arrives before the request body is finished")
    func headBeforeFinish() async throws {
        let lab = try await HTTPTestLab.start(http2: true)
        let client = try lab.client()
        let exchange = try await client.openStream(
            method: "POST", url: lab.url("/echo-stream"),
            headers: HTTPHeaders(), timeout: .seconds(30))
        try await exchange.write(Array("ping".utf8))
        let head = try await exchange.head()
        #expect(head.status == 200)
        var iterator = exchange.bodyChunks().makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first.map { String(decoding: $0, as: UTF8.self) } == "ping")
        try await exchange.finish()
        while try await iterator.next() != nil {}
        #expect(try await exchange.trailers()["x-received-bytes"] == "4")
    }

    @Test("cancel() ends a live exchange: pending reads and trailers throw cancelled")
    func cancelLiveExchange() async throws {
        let lab = try await HTTPTestLab.start(http2: true)
        let client = try lab.client()
        let exchange = try await client.openStream(
            method: "POST", url: lab.url("/echo-stream"),
            headers: HTTPHeaders(), timeout: nil)
        try await exchange.write(Array("x".utf8))
        _ = try await exchange.head()
        exchange.cancel()
        let readError = await #expect(throws: HTTPError.self) {
            for try await _ in exchange.bodyChunks() {}
        }
        #expect(readError?.kind == .cancelled)
        let trailerError = await #expect(throws: HTTPError.self) { try await exchange.trailers() }
        #expect(trailerError?.kind == .cancelled)
    }

    @Test("a plain GET over HTTP/2 negotiates h2 by ALPN and streams a large body")
    func downloadOverHTTP2() async throws {
        let lab = try await HTTPTestLab.start(http2: true)
        let client = try lab.client()
        let sink = HTTPHashingSink()
        let head = try await client.send(HTTPRequest(url: lab.url("/bytes/3000000")), into: sink)
        #expect(head.version == "2")
        #expect(sink.byteCount == 3_000_000)
        #expect(sink.digest == Digest.sha256(HTTPTestLab.pattern(3_000_000)))
    }

    @Test("over HTTP/1.1 a streamed request body goes out chunked, paused while the writer is idle")
    func streamOverHTTP1() async throws {
        let lab = try await HTTPTestLab.start()
        let client = try lab.client()
        let exchange = try await client.openStream(method: "POST", url: lab.url("/echo"), headers: HTTPHeaders(), timeout: .seconds(30))
        var sent: [UInt8] = []
        for index in 0..<20 {
            let piece = HTTPTestLab.pattern(10_000 + index)
            sent += piece
            try await exchange.write(piece)
            // Give the loop time to drain the queue and pause the upload before the next piece.
            try await Task.sleep(for: .milliseconds(10))
        }
        try await exchange.finish()
        #expect(try await exchange.head().version == "1.1")
        var body: [UInt8] = []
        for try await chunk in exchange.bodyChunks() { body += chunk }
        let echo = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:]
        #expect(echo["body_size"] as? Int == sent.count)
        #expect(echo["body_sha256"] as? String == HTTPTestLab.hex(Digest.sha256(sent)))
        #expect((echo["headers"] as? [String: String])?["transfer-encoding"] == "chunked")
        #expect(try await exchange.trailers().isEmpty)
    }
}
