import Foundation
import HomelabCore
import HomelabTransport

@testable import HomelabActions

/// A ProxmoxTransport double: answers each call (`POST /nodes/pve/qemu`) from its own queue (the
/// last answer repeats), records every request, and answers 501 to anything unscripted.
final class ScriptedProxmoxTransport: ProxmoxTransport, @unchecked Sendable {
    enum Answer {
        case reply(ProxmoxReply)
        case failure(HTTPError.Kind)
    }

    private let lock = NSLock()
    private var routes: [String: [Answer]] = [:]
    private var _requests: [ProxmoxRequest] = []

    var requests: [ProxmoxRequest] { lock.withLock { _requests } }

    func requests(_ call: String) -> [ProxmoxRequest] { requests.filter { $0.call == call } }

    /// Replaces the answers for `call`.
    @discardableResult
    func on(_ call: String, _ answers: Answer...) -> Self {
        lock.withLock { routes[call] = answers }
        return self
    }

    func send(_ request: ProxmoxRequest) async throws -> ProxmoxReply {
        let answer: Answer? = lock.withLock {
            _requests.append(request)
            guard var queue = routes[request.call], !queue.isEmpty else { return nil }
            let next = queue.count > 1 ? queue.removeFirst() : queue[0]
            routes[request.call] = queue
            return next
        }
        switch answer {
        case .reply(let reply): return reply
        case .failure(let kind): throw HTTPError(kind, method: request.method, url: "https://pve.test:8006/api2/json" + request.encodedPath)
        case nil: return ProxmoxReply(status: 501, reason: "Method '\(request.call)' not implemented")
        }
    }
}

extension ScriptedProxmoxTransport.Answer {
    /// `{"data": <json>}` with 200.
    static func data(_ json: String) -> Self { .reply(ProxmoxReply(status: 200, reason: "OK", json: "{\"data\":\(json)}")) }

    /// An API error the way pve-http-server >= 5.2 writes it: reason phrase plus body.
    static func error(_ status: Int, _ reason: String, message: String? = nil, errors: [String: String] = [:]) -> Self {
        var members: [(String, Value)] = [("data", .null)]
        if let message { members.append(("message", .string(message))) }
        if !errors.isEmpty {
            members.append(("errors", .map(errors.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        return .reply(ProxmoxReply(status: status, reason: reason, json: JSONWriter.compact(.map(members))))
    }

    static let dropped = Self.failure(.connectionDropped("Connection reset by peer"))
}

/// Test data shared by the Proxmox client tests.
enum ProxmoxSamples {
    static let createUPID = "UPID:pve:00001A2B:0000C0DE:67A0B1C2:qmcreate:100:root@pam!homelab:"
    static func upid(_ type: String, _ id: String, start: Int = 0x67A0_B1C2) -> String {
        "UPID:pve:00001A2B:0000C0DE:\(String(start, radix: 16, uppercase: true)):\(type):\(id):root@pam!homelab:"
    }

    /// A task-list entry; `status` nil while running.
    static func task(_ type: String, vmid: Int, start: Int, status: String?) -> String {
        let status = status.map { ",\"status\":\"\($0)\",\"endtime\":\(start + 3)" } ?? ""
        return "{\"upid\":\"\(upid(type, String(vmid), start: start))\",\"type\":\"\(type)\",\"id\":\"\(vmid)\","
            + "\"node\":\"pve\",\"user\":\"root@pam!homelab\",\"pid\":6699,\"pstart\":49374,\"starttime\":\(start)\(status)}"
    }

    /// A client whose sleeps are recorded, not waited, and whose clock says `now`.
    static func client(_ transport: ScriptedProxmoxTransport, now: Int = 1_800_000_000, slept: SleepLog = SleepLog()) -> ProxmoxClient {
        ProxmoxClient(
            node: "pve", transport: transport, tokenID: "root@pam!homelab",
            policy: ProxmoxRetryPolicy(sleep: { slept.add($0) }, now: { now }))
    }
}

/// Collects the pauses a client asked for.
final class SleepLog: @unchecked Sendable {
    private let lock = NSLock()
    private var pauses: [Duration] = []
    var all: [Duration] { lock.withLock { pauses } }
    func add(_ duration: Duration) { lock.withLock { pauses.append(duration) } }
}
