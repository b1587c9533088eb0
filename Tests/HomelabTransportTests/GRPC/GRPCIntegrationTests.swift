import Foundation
import HomelabTransport
import Testing

/// The client over the live HTTPClient (libcurl, HTTP/2, TLS) against real Python gRPC servers.
@Suite struct GRPCIntegrationTests {
    typealias Peer = GRPCLab.Peer

    /// The error a call ends with.
    func failure(_ body: () async throws -> Void) async throws -> (any Error)? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: Peer.allCases)
    func unaryCarriesPayloadMetadataAndDeadline(peer: Peer) async throws {
        let client = try GRPCLab.client(try await peer.fixture)
        do {
            var metadata = GRPCMetadata()
            try metadata.add("x-node", "10.0.0.11")
            try metadata.add("x-blob-bin", binary: [0x00, 0xFF, 0x10])
            let payload = Data((0..<1000).map { UInt8($0 % 256) })
            let reply: Homelab_Test_EchoReply = try await client.unary(
                GRPCLab.method("Echo"),
                Homelab_Test_EchoRequest.with {
                    $0.payload = payload
                    $0.text = "nö ✓"
                },
                options: GRPCCallOptions(timeout: .seconds(30), metadata: metadata))
            #expect(reply.payload == payload)
            #expect(reply.text == "nö ✓")
            #expect(reply.metadata["x-node"] == "10.0.0.11")
            #expect(reply.metadata["x-blob-bin"] == "00ff10")
            #expect(reply.deadlineRemainingMs > 0 && reply.deadlineRemainingMs <= 30_000)
        }
    }

    @Test(arguments: Peer.allCases)
    func serverStreamingManySmallMessages(peer: Peer) async throws {
        let client = try GRPCLab.client(try await peer.fixture)
        do {
            var indices: [UInt32] = []
            let stream = client.serverStreaming(
                GRPCLab.method("Download"),
                Homelab_Test_DownloadRequest.with {
                    $0.count = 2000
                    $0.size = 16
                }, returning: Homelab_Test_Chunk.self)
            for try await chunk in stream {
                #expect(chunk.payload.count == 16)
                #expect(Data(Digest.sha256(Array(chunk.payload))) == chunk.sha256)
                indices.append(chunk.index)
            }
            #expect(indices == Array(0..<2000))
        }
    }

    /// The handler form reads the next message only after the handler returned (backpressure
    /// reaches the HTTP transfer, which pauses); order and bytes survive, and a failing handler
    /// cancels the call with its error.
    @Test(arguments: Peer.allCases)
    func serverStreamingIntoAHandlerKeepsOrderAndStopsOnItsError(peer: Peer) async throws {
        let client = try GRPCLab.client(try await peer.fixture)
        do {
            let seen = LockedBox<[UInt32]>([])
            try await client.serverStreaming(
                GRPCLab.method("Download"),
                Homelab_Test_DownloadRequest.with {
                    $0.count = 200
                    $0.size = 64 * 1024
                }, returning: Homelab_Test_Chunk.self
            ) { chunk in
                await Task.yield() // a consumer slower than the network
                #expect(Data(Digest.sha256(Array(chunk.payload))) == chunk.sha256)
                seen.mutate { $0.append(chunk.index) }
            }
            #expect(seen.value == Array(0..<200))

            struct DiskFull: Error {}
            let handled = LockedBox(0)
            let error = try #require(
                try await failure {
                    try await client.serverStreaming(
                        GRPCLab.method("Download"),
                        Homelab_Test_DownloadRequest.with {
                            $0.count = 200
                            $0.size = 64 * 1024
                        }, returning: Homelab_Test_Chunk.self
                    ) { _ in
                        handled.mutate { $0 += 1 }
                        if handled.value == 3 { throw DiskFull() }
                    }
                } as? GRPCError)
            #expect(error.code == .cancelled)
            #expect(error.underlying is DiskFull)
            #expect(handled.value == 3)
        }
    }

    @Test(arguments: Peer.allCases)
    func serverStreamingLargeMessagesSpanManyFrames(peer: Peer) async throws {
        let client = try GRPCLab.client(try await peer.fixture)
        do {
            var count = 0
            let stream = client.serverStreaming(
                GRPCLab.method("Download"),
                Homelab_Test_DownloadRequest.with {
                    $0.count = 3
                    $0.size = 1024 * 1024 + 7
                }, returning: Homelab_Test_Chunk.self)
            for try await chunk in stream {
                #expect(chunk.payload.count == 1024 * 1024 + 7)
                #expect(Data(Digest.sha256(Array(chunk.payload))) == chunk.sha256)
                count += 1
            }
            #expect(count == 3)
        }
    }

    @Test(arguments: Peer.allCases)
    func clientStreamingUploadArrivesIntactAndInOrder(peer: Peer) async throws {
        let client = try GRPCLab.client(try await peer.fixture)
        let sizes = [0, 1, 5, 4096, 70_000, 3 * 1024 * 1024] + (0..<200).map { _ in Int.random(in: 0...300) }
        let chunks = sizes.enumerated().map { index, size in
            Homelab_Test_Chunk.with {
                $0.index = UInt32(index)
                $0.payload = Self.randomBytes(size)
            }
        }
        let hasher = StreamingSHA256()
        for chunk in chunks { hasher.update(Array(chunk.payload)) }
        let summary: Homelab_Test_UploadSummary = try await client.clientStreaming(GRPCLab.method("Upload"), chunks)
        #expect(summary.count == UInt32(chunks.count))
        #expect(summary.totalBytes == UInt64(sizes.reduce(0, +)))
        #expect(Array(summary.sha256) == hasher.finish())
    }

    @Test(arguments: Peer.allCases)
    func deadlineExceededWhileTheServerSleeps(peer: Peer) async throws {
        let client = try GRPCLab.client(try await peer.fixture)
        let error = try #require(
            try await failure {
                let _: Homelab_Test_EchoReply = try await client.unary(
                    GRPCLab.method("Sleep"), Homelab_Test_SleepRequest.with { $0.milliseconds = 10_000 },
                    options: GRPCCallOptions(timeout: .milliseconds(300)))
            } as? GRPCError)
        #expect(error.code == .deadlineExceeded)
        #expect(error.method == "/homelab.test.Echo/Sleep")
    }

    static func randomBytes(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        var data = Data(count: count)
        data.withUnsafeMutableBytes { buffer in
            for index in buffer.indices { buffer[index] = UInt8.random(in: 0...255, using: &generator) }
        }
        return data
    }

    static let awkwardMessage = "nöde-1 is 50% ready: ✓ 100%25 \"quoted\""

    @Test(arguments: Peer.allCases, [false, true])
    func errorStatusAndDecodedMessage(peer: Peer, trailersOnly: Bool) async throws {
        let client = try GRPCLab.client(try await peer.fixture)
        do {
            let error = try #require(
                try await failure {
                    let _: Homelab_Test_EchoReply = try await client.unary(
                        GRPCLab.method("Fail"),
                        Homelab_Test_FailRequest.with {
                            $0.code = 9
                            $0.message = Self.awkwardMessage
                            $0.trailersOnly = trailersOnly
                        })
                } as? GRPCError)
            #expect(error.code == .failedPrecondition)
            #expect(error.message == Self.awkwardMessage)
            #expect(error.origin == .server)
        }
    }

    /// Proves the servers really answer Trailers-Only (grpc-status in the only header block), so
    /// the test above exercises that path and not the trailers one.
    @Test(arguments: Peer.allCases)
    func trailersOnlyReallyArrivesInTheHeaders(peer: Peer) async throws {
        let fixture = try await peer.fixture
        let client = try GRPCLab.client(fixture)
        let request =
            try Homelab_Test_FailRequest.with {
                $0.code = 5
                $0.trailersOnly = true
            }.serializedBytes() as [UInt8]
        let exchange = try await client.transport.openStream(
            method: "POST", url: fixture.string("endpoint") + "/homelab.test.Echo/Fail",
            headers: HTTPHeaders([("content-type", "application/grpc"), ("te", "trailers")]),
            bodyLength: Int64(5 + request.count), timeout: .seconds(30))
        do {
            try await exchange.write([0, 0, 0, 0, UInt8(request.count)] + request)
            try await exchange.finish()
            let head = try await exchange.head()
            #expect(head.headers["grpc-status"] == "5")
            #expect(head.version.hasPrefix("2"))
        }
    }

    @Test(arguments: Peer.allCases)
    func streamEndsWithTheServersErrorAfterItsMessages(peer: Peer) async throws {
        let client = try GRPCLab.client(try await peer.fixture)
        do {
            var received = 0
            let error = try #require(
                try await failure {
                    for try await _ in client.serverStreaming(
                        GRPCLab.method("Download"),
                        Homelab_Test_DownloadRequest.with {
                            $0.count = 3
                            $0.size = 100
                            $0.failCode = 8
                            $0.failMessage = "quota: 3 chunks"
                        }, returning: Homelab_Test_Chunk.self)
                    {
                        received += 1
                    }
                } as? GRPCError)
            #expect(received == 3)
            #expect(error.code == .resourceExhausted)
            #expect(error.message == "quota: 3 chunks")
        }
    }

    /// grpcio (like grpc-go) answers an unknown method from the request headers alone, before
    /// our DATA frame, then resets the stream; libcurl 7.88 reports that reset as a framing
    /// error and drops the Trailers-Only answer. grpclib waits for the request and passes. The
    /// loss is recorded as a known issue for grpcio only; any other outcome fails.
    @Test(arguments: Peer.allCases)
    func unknownMethodIsUnimplemented(peer: Peer) async throws {
        let client = try GRPCLab.client(try await peer.fixture)
        let error = try #require(
            try await failure {
                let _: Homelab_Test_EchoReply = try await client.unary(GRPCLab.method("NoSuchMethod"), Homelab_Test_EchoRequest())
            } as? GRPCError)
        if peer == .grpcioECDSA, error.code == .unavailable, "\(error)".contains("Stream error in the HTTP/2 framing layer") {
            withKnownIssue("libcurl 7.88 drops a Trailers-Only answer sent before the request body, then reset", isIntermittent: true) {
                Issue.record("\(error)")
            }
            return
        }
        #expect(error.code == .unimplemented, "\(error)")
    }

    @Test(arguments: Peer.allCases)
    func cancellingTheCallerStopsACallInFlight(peer: Peer) async throws {
        let client = try GRPCLab.client(try await peer.fixture)
        let call = Task {
            let _: Homelab_Test_EchoReply = try await client.unary(
                GRPCLab.method("Sleep"), Homelab_Test_SleepRequest.with { $0.milliseconds = 30_000 })
        }
        try await Task.sleep(for: .milliseconds(200))
        call.cancel()
        let error = try #require(try await failure { try await call.value } as? GRPCError)
        #expect(error.code == .cancelled)
    }

    @Test(arguments: Peer.allCases)
    func mutualTLSRefusesAClientWithoutACertificate(peer: Peer) async throws {
        let client = try GRPCLab.client(try await peer.fixture, presentCertificate: false)
        let error = try #require(
            try await failure {
                let _: Homelab_Test_EchoReply = try await client.unary(
                    GRPCLab.method("Echo"), Homelab_Test_EchoRequest(), options: GRPCCallOptions(timeout: .seconds(30)))
            } as? GRPCError)
        #expect(error.code == .unavailable)
        #expect(error.underlying is HTTPError)
    }

    @Test func serverOnlyTLSNeedsNoClientCertificate() async throws {
        let client = try GRPCLab.client(try await GRPCLab.grpcioServerTLS.get(), presentCertificate: false)
        do {
            let reply: Homelab_Test_EchoReply = try await client.unary(
                GRPCLab.method("Echo"), Homelab_Test_EchoRequest.with { $0.text = "maintenance" })
            #expect(reply.text == "maintenance")
        }
    }

    @Test func serverWithAnotherCAIsNotTrusted() async throws {
        let ecdsa = try await GRPCLab.Peer.grpcioECDSA.fixture
        let other = try await GRPCLab.grpcioServerTLS.get()
        let http = try HTTPClient(configuration: HTTPClientConfiguration(trust: .certificateAuthorityFile(path: ecdsa.string("ca"))))
        let client = GRPCClient(endpoint: other.string("endpoint"), transport: http)
        let error = try #require(
            try await failure {
                let _: Homelab_Test_EchoReply = try await client.unary(GRPCLab.method("Echo"), Homelab_Test_EchoRequest())
            } as? GRPCError)
        #expect(error.code == .unavailable)
    }
}

/// A value tests mutate from @Sendable closures.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func mutate(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
