import Foundation
import Testing

@testable import HomelabTransport

@Suite("HTTP concurrency")
struct HTTPConcurrencyTests {
    @Test("50 concurrent requests on one client all succeed on its single event-loop thread")
    func fiftyConcurrentRequests() async throws {
        let lab = try await HTTPTestLab.start()
        let client = try lab.client()
        let digests = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for index in 0..<50 {
                group.addTask {
                    let sink = HTTPHashingSink()
                    // /slow holds each request open a moment so they truly overlap.
                    let size = 100_000 + index
                    _ = try await client.send(HTTPRequest(url: lab.url(index % 2 == 0 ? "/bytes/\(size)" : "/slow?delay=0.3")), into: sink)
                    return (index, sink.digest ?? [])
                }
            }
            var out: [Int: [UInt8]] = [:]
            for try await (index, digest) in group { out[index] = digest }
            return out
        }
        #expect(digests.count == 50)
        for index in stride(from: 0, to: 50, by: 2) {
            #expect(digests[index] == Digest.sha256(HTTPTestLab.pattern(100_000 + index)))
        }
        #expect(client.eventLoopThreadCount == 1)
    }
}
