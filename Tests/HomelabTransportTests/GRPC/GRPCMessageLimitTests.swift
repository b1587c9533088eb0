import Foundation
import HomelabTransport
import Testing

/// The 32 MiB per-message limit, both ways, against a server whose own limit is higher (64 MiB)
/// so that what is tested is the client's.
@Suite(.serialized) struct GRPCMessageLimitTests {
    static let limit = GRPCClient.defaultMessageLimit
    /// A Chunk with only `payload` set: field tag, 4-byte length varint, then the bytes.
    static let payloadAtLimit = limit - 5
    /// A Chunk with `payload` and a 32-byte `sha256`: 5 + 34 bytes of framing around the payload.
    static let downloadAtLimit = limit - 5 - 34

    func failure(_ body: () async throws -> Void) async -> GRPCError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? GRPCError
        }
    }

    @Test func requestOfExactly32MiBIsSent() async throws {
        let client = try GRPCLab.client(try await GRPCLab.Peer.grpcioECDSA.fixture)
        let chunk = Homelab_Test_Chunk.with { $0.payload = Data(count: Self.payloadAtLimit) }
        #expect(try (chunk.serializedBytes() as [UInt8]).count == Self.limit)
        let summary: Homelab_Test_UploadSummary = try await client.clientStreaming(GRPCLab.method("Upload"), [chunk])
        #expect(summary.totalBytes == UInt64(Self.payloadAtLimit))
    }

    @Test func requestOver32MiBIsRefusedBeforeSending() async throws {
        let client = try GRPCLab.client(try await GRPCLab.Peer.grpcioECDSA.fixture)
        let chunk = Homelab_Test_Chunk.with { $0.payload = Data(count: Self.payloadAtLimit + 1) }
        let error = try #require(
            await failure {
                let _: Homelab_Test_UploadSummary = try await client.clientStreaming(GRPCLab.method("Upload"), [chunk])
            })
        #expect(error.code == .resourceExhausted)
        #expect(error.origin == .client)
    }

    @Test func responseOfExactly32MiBIsAccepted() async throws {
        let client = try GRPCLab.client(try await GRPCLab.Peer.grpcioECDSA.fixture)
        do {
            var sizes: [Int] = []
            for try await chunk in client.serverStreaming(
                GRPCLab.method("Download"),
                Homelab_Test_DownloadRequest.with {
                    $0.count = 1
                    $0.size = UInt64(Self.downloadAtLimit)
                }, returning: Homelab_Test_Chunk.self)
            {
                #expect(Data(Digest.sha256(Array(chunk.payload))) == chunk.sha256)
                sizes.append(chunk.payload.count)
            }
            #expect(sizes == [Self.downloadAtLimit])
        }
    }

    @Test func responseOver32MiBIsRefused() async throws {
        let client = try GRPCLab.client(try await GRPCLab.Peer.grpcioECDSA.fixture)
        let error = try #require(
            await failure {
                for try await _ in client.serverStreaming(
                    GRPCLab.method("Download"),
                    Homelab_Test_DownloadRequest.with {
                        $0.count = 1
                        $0.size = UInt64(Self.downloadAtLimit + 1)
                    }, returning: Homelab_Test_Chunk.self)
                {}
            })
        #expect(error.code == .resourceExhausted)
        #expect(error.message.contains("\(Self.limit + 1) bytes"))
    }
}
