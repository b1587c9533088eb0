import Foundation
import Testing

@testable import HomelabTransport

/// Stdout handed to an async consumer chunk by chunk, with a bounded queue between the
/// connection's thread and the consumer; stdin held open as a lifeline. Against a real sshd.
@Suite(.timeLimit(.minutes(5)))
struct SSHStreamTests {
    @Test func aSlowConsumerGetsEveryByteInOrderWhileTheQueueStaysBounded() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect()
        let input = GeneratedChunks(count: 64)
        let output = HashingSink()
        let capacity = 1 << 20
        let queue = SSHOutputQueue(capacity: capacity) {}
        let consumed = ConsumedChunks()
        let status = try await client.execute(
            "cat", environment: [:], stdin: .chunks(input), stderr: SSHDiscardOutput(), timeout: .seconds(300), queue: queue,
            consume: { chunk in
                // A consumer slower than the network: yield between chunks, as an upload would.
                await Task.yield()
                chunk.withUnsafeBytes { try? output.write($0) }
                consumed.add()
            })
        #expect(status.succeeded)
        #expect(output.count == 64 << 20)
        #expect(output.finish() == input.hasher.finish())
        #expect(consumed.count > 1)
        // At most the capacity plus one read of the connection's 256 KiB buffer ever waited.
        #expect(queue.peakBuffered <= capacity + (256 << 10))
        await client.close()
    }

    @Test func aConsumerThatThrowsStopsTheCommandAndTheConnectionStaysUsable() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect()
        struct Enough: Error, Equatable {}
        await #expect(throws: Enough.self) {
            try await client.execute("yes", stderr: SSHDiscardOutput(), timeout: .seconds(120)) { _ in throw Enough() }
        }
        #expect(try await client.run("echo after").stdoutText == "after\n")
        await client.close()
    }

    @Test func aCommandWithItsStdinHeldOpenEndsWhenItExits() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect()
        let text = TextCollector()
        let status = try await client.execute("echo done", stdin: .heldOpen, stderr: SSHDiscardOutput(), timeout: .seconds(60)) { text.add($0) }
        #expect(status.succeeded)
        #expect(text.value == "done\n")
        await client.close()
    }

    @Test func cancellingEndsTheLifelineAndTheRemotePipelineStopsItself() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect()
        let marker = lab.freshPath("stopped")
        let started = WatchingSink()
        let running = Task {
            try await client.execute(
                "echo started; cat > /dev/null; touch '\(marker)'", stdin: .heldOpen, stderr: SSHDiscardOutput(), timeout: .seconds(120)
            ) { chunk in chunk.withUnsafeBytes { try? started.write($0) } }
        }
        await started.waitFor("started")
        running.cancel()
        _ = await running.result
        // The remote `cat` sees the end of its input only because homelab went away.
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: marker) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(FileManager.default.fileExists(atPath: marker))
        await client.close()
    }
}

private final class ConsumedChunks: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    func add() { lock.withLock { total += 1 } }
    var count: Int { lock.withLock { total } }
}

private final class TextCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    func add(_ chunk: [UInt8]) { lock.withLock { bytes += chunk } }
    var value: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }
}
