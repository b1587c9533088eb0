import Foundation
import SwiftProtobuf
import Testing

@testable import HomelabTransport

/// The client against a scripted HTTP/2 exchange: what goes on the wire, and how every way a
/// response can end becomes a result or a GRPCError.
@Suite struct GRPCClientTests {
    typealias Request = Homelab_Test_EchoRequest
    typealias Reply = Homelab_Test_EchoReply

    static func reply(_ text: String) -> Reply { .with { $0.text = text } }
    static func bytes(_ message: some Message) -> [UInt8] { try! message.serializedBytes() }

    func client(_ opener: ScriptedOpener, limit: Int = GRPCClient.defaultMessageLimit) -> GRPCClient {
        GRPCClient(endpoint: GRPCScript.endpoint, transport: opener, messageLimit: limit)
    }

    func failure(_ body: () async throws -> Void) async -> GRPCError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? GRPCError
        }
    }

    @Test func unarySendsAGRPCRequestAndDecodesTheReply() async throws {
        let opener = ScriptedOpener(GRPCScript.replying([Self.bytes(Self.reply("pong"))]))
        var metadata = GRPCMetadata()
        try metadata.add("nodes", "10.0.0.11")
        let request = Request.with {
            $0.text = "ping"
            $0.payload = Data([1, 2, 3])
        }
        let reply: Reply = try await client(opener).unary(
            GRPCScript.method, request, options: GRPCCallOptions(timeout: .seconds(30), metadata: metadata))

        #expect(reply.text == "pong")
        let opened = try #require(opener.opened.first)
        #expect(opened.method == "POST")
        #expect(opened.url == "https://127.0.0.1:50000/homelab.test.Echo/Echo")
        #expect(opened.headers["content-type"] == "application/grpc")
        #expect(opened.headers["te"] == "trailers")
        #expect(opened.headers["grpc-timeout"] == "30000000u")
        #expect(opened.headers["nodes"] == "10.0.0.11")
        #expect(opened.timeout == .seconds(30))
        #expect(opener.exchange.written == GRPCFraming.frame(Self.bytes(request)))
        #expect(opener.exchange.finished)
        #expect(!opener.exchange.cancelled)
    }

    @Test func noDeadlineSendsNoTimeoutHeader() async throws {
        let opener = ScriptedOpener(GRPCScript.replying([Self.bytes(Self.reply("x"))]))
        let _: Reply = try await client(opener).unary(GRPCScript.method, Request())
        #expect(opener.opened.first?.headers["grpc-timeout"] == nil)
        #expect(opener.opened.first?.timeout == nil)
    }

    @Test func replySplitAcrossManySmallChunks() async throws {
        let big = Reply.with { $0.payload = Data((0..<5000).map { UInt8($0 % 256) }) }
        for size in [1, 3, 5, 4096] {
            let opener = ScriptedOpener(GRPCScript.replying([Self.bytes(big)], chunkSize: size))
            let reply: Reply = try await client(opener).unary(GRPCScript.method, Request())
            #expect(reply == big, "chunks of \(size)")
        }
    }

    @Test func trailersOnlyErrorCarriesTheDecodedMessage() async throws {
        let head = HTTPResponseHead(
            status: 200,
            headers: HTTPHeaders(
                [("content-type", "application/grpc")] + GRPCScript.status(7, "nö: 100% denied").fields.map { ($0.name, $0.value) }),
            version: "2")
        let opener = ScriptedOpener(ScriptedExchange.Script(head: head))
        let error = try #require(await failure { let _: Reply = try await client(opener).unary(GRPCScript.method, Request()) })
        #expect(error.code == .permissionDenied)
        #expect(error.message == "nö: 100% denied")
        #expect(error.origin == .server)
        #expect(error.method == "/homelab.test.Echo/Echo")
        #expect(error.endpoint == GRPCScript.endpoint)
        #expect(opener.exchange.chunksServed == 0)
    }

    @Test func errorInTrailersAfterHeaders() async throws {
        let opener = ScriptedOpener(GRPCScript.replying([], trailers: GRPCScript.status(5, "no such member")))
        let error = try #require(await failure { let _: Reply = try await client(opener).unary(GRPCScript.method, Request()) })
        #expect(error.code == .notFound)
        #expect(error.message == "no such member")
    }

    @Test(arguments: [(503, GRPCStatusCode.unavailable), (404, .unimplemented), (401, .unauthenticated), (500, .unknown)])
    func httpErrorStatusIsMapped(http: Int, code: GRPCStatusCode) async throws {
        let head = HTTPResponseHead(status: http, headers: HTTPHeaders([("content-type", "text/plain")]), version: "2")
        let opener = ScriptedOpener(ScriptedExchange.Script(head: head))
        let error = try #require(await failure { let _: Reply = try await client(opener).unary(GRPCScript.method, Request()) })
        #expect(error.code == code)
        #expect(error.message.contains("HTTP status \(http)"))
    }

    @Test func nonGRPCContentTypeIsRefused() async throws {
        let head = HTTPResponseHead(status: 200, headers: HTTPHeaders([("content-type", "text/html")]), version: "2")
        let opener = ScriptedOpener(ScriptedExchange.Script(head: head, chunks: [Array("<html>".utf8)]))
        let error = try #require(await failure { let _: Reply = try await client(opener).unary(GRPCScript.method, Request()) })
        #expect(error.code == .unknown)
        #expect(error.message.contains("text/html"))
    }

    @Test func http1IsRefused() async throws {
        let head = HTTPResponseHead(status: 200, headers: HTTPHeaders([("content-type", "application/grpc")]), version: "1.1")
        let opener = ScriptedOpener(ScriptedExchange.Script(head: head))
        let error = try #require(await failure { let _: Reply = try await client(opener).unary(GRPCScript.method, Request()) })
        #expect(error.code == .unavailable)
        #expect(error.message.contains("HTTP/2"))
    }

    @Test func missingStatusIsInternal() async throws {
        let opener = ScriptedOpener(GRPCScript.replying([Self.bytes(Self.reply("x"))], trailers: HTTPHeaders()))
        let error = try #require(await failure { let _: Reply = try await client(opener).unary(GRPCScript.method, Request()) })
        #expect(error.code == .internal)
        #expect(error.message.contains("grpc-status"))
    }

    @Test func unaryNeedsExactlyOneReply() async throws {
        let none = ScriptedOpener(GRPCScript.replying([]))
        #expect(await failure { let _: Reply = try await client(none).unary(GRPCScript.method, Request()) }?.code == .internal)
        let two = ScriptedOpener(GRPCScript.replying([Self.bytes(Self.reply("a")), Self.bytes(Self.reply("b"))]))
        #expect(await failure { let _: Reply = try await client(two).unary(GRPCScript.method, Request()) }?.code == .internal)
    }

    @Test func compressedReplyIsRefusedAndTheExchangeReset() async throws {
        var script = GRPCScript.replying([])
        script.chunks = [[1, 0, 0, 0, 2, 0x1F, 0x8B]]
        let opener = ScriptedOpener(script)
        let error = try #require(await failure { let _: Reply = try await client(opener).unary(GRPCScript.method, Request()) })
        #expect(error.code == .internal)
        #expect(error.message.contains("compress"))
        #expect(opener.exchange.cancelled)
    }

    @Test func oversizeReplyIsRefusedBeforeItsBodyArrives() async throws {
        let limit = 1024
        let body = GRPCFraming.frame([UInt8](repeating: 1, count: limit + 1))
        var script = GRPCScript.replying([])
        script.chunks = [Array(body.prefix(5)), Array(body.dropFirst(5))]
        let opener = ScriptedOpener(script)
        let error = try #require(
            await failure {
                let _: Reply = try await client(opener, limit: limit).unary(GRPCScript.method, Request())
            })
        #expect(error.code == .resourceExhausted)
        #expect(opener.exchange.chunksServed == 1)
        #expect(opener.exchange.cancelled)
    }

    @Test func oversizeRequestIsNeverSent() async throws {
        let opener = ScriptedOpener(GRPCScript.replying([Self.bytes(Self.reply("x"))]))
        let request = Request.with { $0.payload = Data(count: 2000) }
        let error = try #require(
            await failure {
                let _: Reply = try await client(opener, limit: 1024).unary(GRPCScript.method, request)
            })
        #expect(error.code == .resourceExhausted)
        #expect(error.message.contains("request"))
        #expect(opener.exchange.written.isEmpty)
    }

    @Test func undecodableReplyIsInternal() async throws {
        let opener = ScriptedOpener(GRPCScript.replying([[0xFF, 0xFF, 0xFF]]))
        let error = try #require(await failure { let _: Reply = try await client(opener).unary(GRPCScript.method, Request()) })
        #expect(error.code == .internal)
        #expect(error.message.contains("homelab.test.EchoReply"))
    }

    @Test func silentServerMeetsTheLocalDeadline() async throws {
        let opener = ScriptedOpener(ScriptedExchange.Script(head: nil))
        let error = try #require(
            await failure {
                let _: Reply = try await client(opener).unary(
                    GRPCScript.method, Request(), options: GRPCCallOptions(timeout: .milliseconds(100)))
            })
        #expect(error.code == .deadlineExceeded)
        #expect(error.origin == .client)
        #expect(opener.exchange.cancelled)
    }

    @Test func deadlineAlreadyPastOpensNothing() async throws {
        let opener = ScriptedOpener(GRPCScript.replying([Self.bytes(Self.reply("x"))]))
        let error = try #require(
            await failure {
                let _: Reply = try await client(opener).unary(GRPCScript.method, Request(), options: GRPCCallOptions(timeout: .zero))
            })
        #expect(error.code == .deadlineExceeded)
        #expect(opener.opened.isEmpty)
    }

    @Test func cancellingTheTaskCancelsTheExchange() async throws {
        let opener = ScriptedOpener(ScriptedExchange.Script(head: nil))
        let client = client(opener)
        let task = Task { () async throws -> Reply in try await client.unary(GRPCScript.method, Request()) }
        while opener.opened.isEmpty { await Task.yield() }
        task.cancel()
        let result = await task.result
        guard case .failure(let error) = result else {
            Issue.record("the call succeeded")
            return
        }
        #expect((error as? GRPCError)?.code == .cancelled)
        #expect(opener.exchange.cancelled)
    }

    @Test func transportFailureIsUnavailableWithTheCause() async throws {
        let refused = HTTPError(.connectionRefused, method: "POST", url: GRPCScript.endpoint)
        let opener = ScriptedOpener(ScriptedExchange.Script(head: nil), openError: refused)
        let error = try #require(await failure { let _: Reply = try await client(opener).unary(GRPCScript.method, Request()) })
        #expect(error.code == .unavailable)
        #expect(error.underlying is HTTPError)
        #expect(error.message.contains("connection refused"))
    }

    @Test func refusedWriteReportsTheServersStatus() async throws {
        var script = GRPCScript.replying([], trailers: GRPCScript.status(16, "who are you"))
        script.writeError = HTTPError(.connectionDropped("stream closed"), method: "POST", url: GRPCScript.endpoint)
        script.answersEarly = true
        let opener = ScriptedOpener(script)
        let error = try #require(await failure { let _: Reply = try await client(opener).unary(GRPCScript.method, Request()) })
        #expect(error.code == .unauthenticated)
        #expect(error.origin == .server)
    }

    @Test func serverStreamingYieldsEachMessageThenEnds() async throws {
        let replies = (0..<5).map { Self.reply("r\($0)") }
        let opener = ScriptedOpener(GRPCScript.replying(replies.map(Self.bytes), chunkSize: 7))
        var received: [Reply] = []
        for try await reply in client(opener).serverStreaming(GRPCScript.method, Request(), returning: Reply.self) {
            received.append(reply)
        }
        #expect(received == replies)
        #expect(opener.exchange.finished)
    }

    @Test func serverStreamingDeliversMessagesBeforeTheErrorStatus() async throws {
        let replies = (0..<3).map { Self.reply("r\($0)") }
        let opener = ScriptedOpener(GRPCScript.replying(replies.map(Self.bytes), trailers: GRPCScript.status(10, "aborted mid-way")))
        var received: [Reply] = []
        let error = try #require(
            await failure {
                for try await reply in client(opener).serverStreaming(GRPCScript.method, Request(), returning: Reply.self) {
                    received.append(reply)
                }
            })
        #expect(received == replies)
        #expect(error.code == .aborted)
        #expect(error.message == "aborted mid-way")
    }

    @Test func leavingAServerStreamEarlyCancelsTheCall() async throws {
        let opener = ScriptedOpener(ScriptedExchange.Script(head: nil))
        let stream = client(opener).serverStreaming(GRPCScript.method, Request(), returning: Reply.self)
        let consumer = Task { for try await _ in stream {} }
        while opener.opened.isEmpty { await Task.yield() }
        consumer.cancel()
        _ = await consumer.result
        while !opener.exchange.cancelled { await Task.yield() }
        #expect(opener.exchange.cancelled)
    }

    @Test func clientStreamingSendsEveryRequestThenEnds() async throws {
        let summary = Homelab_Test_UploadSummary.with { $0.count = 3 }
        let opener = ScriptedOpener(GRPCScript.replying([Self.bytes(summary)]))
        let chunks = (0..<3).map { index in
            Homelab_Test_Chunk.with {
                $0.index = UInt32(index)
                $0.payload = Data([UInt8(index)])
            }
        }
        let reply: Homelab_Test_UploadSummary = try await client(opener).clientStreaming(GRPCScript.method, chunks)
        #expect(reply == summary)
        #expect(opener.exchange.written == chunks.map(Self.bytes).flatMap(GRPCFraming.frame))
        #expect(opener.exchange.finished)
    }

    @Test func failingRequestSourceCancelsTheCall() async throws {
        struct DiskGone: Error {}
        let opener = ScriptedOpener(ScriptedExchange.Script(head: nil))
        let error = try #require(
            await failure {
                let _: Homelab_Test_UploadSummary = try await client(opener).clientStreaming(GRPCScript.method) {
                    (writer: GRPCRequestWriter<Homelab_Test_Chunk>) in
                    try await writer.send(Homelab_Test_Chunk.with { $0.index = 0 })
                    throw DiskGone()
                }
            })
        #expect(error.code == .cancelled)
        #expect(error.underlying is DiskGone)
        #expect(opener.exchange.cancelled)
        #expect(!opener.exchange.finished)
    }
}
