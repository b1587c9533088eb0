import Foundation
import Testing

@testable import HomelabTransport

/// What callers see when the network or the server misbehaves, and when they give up.
@Suite("HTTP failures, timeouts and cancellation")
struct HTTPFailureTests {
    @Test("a port nobody listens on gives connection refused")
    func connectionRefused() async throws {
        let port = try freePort()
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient().send(HTTPRequest(url: "https://127.0.0.1:\(port)/"))
        }
        #expect(error?.kind == .connectionRefused)
        #expect(error?.description.contains("GET https://127.0.0.1:\(port)/: connection refused") == true)
    }

    @Test("an unknown host name gives a DNS failure naming the host")
    func hostNotFound() async throws {
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient().send(HTTPRequest(url: "https://no-such-host.invalid/"))
        }
        #expect(error?.kind == .hostNotFound(host: "no-such-host.invalid"))
    }

    @Test("a server slower than the total timeout gives a timeout that says which")
    func totalTimeout() async throws {
        let lab = try await HTTPTestLab.start()
        let error = await #expect(throws: HTTPError.self) {
            try await lab.client().send(HTTPRequest(url: lab.url("/slow?delay=5"), timeout: .milliseconds(500)))
        }
        #expect(error?.kind == .timedOut(.total))
    }

    @Test("a trickling server trips the low-speed limit")
    func lowSpeedTimeout() async throws {
        let lab = try await HTTPTestLab.start()
        let client = try lab.client(timeouts: HTTPTimeouts(total: nil, lowSpeed: .init(bytesPerSecond: 1000, duration: .seconds(1))))
        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: lab.url("/slow?trickle=30&interval=0.2")))
        }
        #expect(error?.kind == .timedOut(.lowSpeed))
    }

    @Test("a connection closed mid-response is reported as dropped, not as a short body")
    func droppedMidResponse() async throws {
        let lab = try await HTTPTestLab.start()
        let error = await #expect(throws: HTTPError.self) {
            try await lab.client().send(HTTPRequest(url: lab.url("/drop")))
        }
        guard case .connectionDropped? = error?.kind else {
            Issue.record("unexpected \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("/drop") == true)
    }

    @Test("cancelling the task aborts a long download promptly")
    func cancelLongDownload() async throws {
        let lab = try await HTTPTestLab.start()
        let client = try lab.client()
        let started = HTTPOneShot<Void>()
        let sink = HTTPClosureSink { _ in started.resolve(.success(())) }
        let download = Task {
            try await client.send(HTTPRequest(url: lab.url("/slow?trickle=600&interval=0.1"), timeout: .seconds(120)), into: sink)
        }
        try await started.value()
        download.cancel()
        let result = await download.result
        guard case .failure(let error) = result else {
            Issue.record("download finished instead of being cancelled")
            return
        }
        #expect((error as? HTTPError)?.kind == .cancelled)
    }

    @Test("a task cancelled before sending never starts the transfer")
    func cancelledBeforeStart() async throws {
        let lab = try await HTTPTestLab.start()
        let client = try lab.client()
        let before = try await lab.requestCount()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.send(HTTPRequest(url: lab.url("/echo")))
        }
        let error = await #expect(throws: HTTPError.self) { try await task.value }
        #expect(error?.kind == .cancelled)
        #expect(try await lab.requestCount() == before)
    }

    @Test("errors never show credentials, query strings or header values")
    func secretsStayOut() async throws {
        let port = try freePort()
        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient().send(
                HTTPRequest(
                    url: "https://root:hunter2@127.0.0.1:\(port)/api?token=abc",
                    headers: HTTPHeaders([("Authorization", "PVEAPIToken=root@pam!x=SECRET")])))
        }
        let text = error?.description ?? ""
        for secret in ["hunter2", "root:", "abc", "SECRET"] { #expect(!text.contains(secret), "\(text)") }
    }

    private func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
