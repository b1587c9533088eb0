import Foundation
import HomelabTransport

/// The lab's control interface (`lab.py serve`'s `control` URL) for tests of the Talos nodes:
/// their state and the log of calls that reached them, faults, and the real etcd behind a
/// control plane (its v3 JSON gateway, at the client URL /talos/state names).
public final class LabControl: @unchecked Sendable {
    public let url: String
    private let http: HTTPClient

    /// The calls that can change a Talos node.
    public static let mutating: Set<String> = ["ApplyConfiguration", "Bootstrap", "EtcdRecover", "Reset", "Reboot"]

    public struct Call: Sendable, Equatable {
        public let node: String
        public let method: String
    }

    public init(url: String) throws {
        self.url = url
        http = try HTTPClient()
    }

    @discardableResult
    public func send(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any {
        var request = HTTPRequest(method: method, url: url + path, timeout: .seconds(30))
        if let body {
            request = HTTPRequest(
                method: method, url: url + path, headers: HTTPHeaders([("Content-Type", "application/json")]),
                body: .bytes(Array(try JSONSerialization.data(withJSONObject: body))), timeout: .seconds(30))
        }
        let response = try await http.send(request).requireStatus()
        return try JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
    }

    public func talosState() async throws -> [String: Any] {
        try await send("GET", "/talos/state") as? [String: Any] ?? [:]
    }

    /// Every call that reached a node's apid, in order.
    public func talosCalls() async throws -> [Call] {
        let calls = try await talosState()["calls"] as? [[String: Any]] ?? []
        return calls.map { Call(node: $0["node"] as? String ?? "", method: $0["method"] as? String ?? "") }
    }

    public func mutatingCalls() async throws -> [Call] {
        try await talosCalls().filter { Self.mutating.contains($0.method) }
    }

    /// One node's entry of /talos/state.
    public func talosNode(_ name: String) async throws -> [String: Any] {
        let nodes = try await talosState()["nodes"] as? [[String: Any]] ?? []
        return nodes.first { $0["name"] as? String == name } ?? [:]
    }

    /// The state of a node's service (etcd: Preparing, Running...).
    public func serviceState(_ node: String, _ service: String) async throws -> String? {
        let services = try await talosNode(node)["services"] as? [String: [String: Any]]
        return services?[service]?["state"] as? String
    }

    public func etcdClientURL(_ node: String) async throws -> String? {
        (try await talosNode(node)["etcd"] as? [String: Any])?["client_url"] as? String
    }

    public func talosFault(_ rule: [String: Any]) async throws {
        try await send("POST", "/talos/faults", rule)
    }

    public func clearTalosFaults() async throws {
        try await send("DELETE", "/talos/faults")
    }

    /// Writes a key into etcd through its JSON gateway (etcd 3.4: /v3/kv/put).
    public func etcdPut(_ clientURL: String, _ key: String, _ value: String) async throws {
        let body = ["key": Data(key.utf8).base64EncodedString(), "value": Data(value.utf8).base64EncodedString()]
        let request = HTTPRequest(
            method: "POST", url: clientURL + "/v3/kv/put", headers: HTTPHeaders([("Content-Type", "application/json")]),
            body: .bytes(Array(try JSONSerialization.data(withJSONObject: body))), timeout: .seconds(30))
        _ = try await http.send(request).requireStatus()
    }

    /// A key's value read back from etcd, nil when absent.
    public func etcdGet(_ clientURL: String, _ key: String) async throws -> String? {
        let body = ["key": Data(key.utf8).base64EncodedString()]
        let request = HTTPRequest(
            method: "POST", url: clientURL + "/v3/kv/range", headers: HTTPHeaders([("Content-Type", "application/json")]),
            body: .bytes(Array(try JSONSerialization.data(withJSONObject: body))), timeout: .seconds(30))
        let response = try await http.send(request).requireStatus()
        let answer = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        guard let kvs = answer?["kvs"] as? [[String: Any]], let value = kvs.first?["value"] as? String, let data = Data(base64Encoded: value) else {
            return nil
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Polls `condition` every 200 ms until it holds, for up to `attempts` looks (60 s by
    /// default: generous for a loaded machine); the caller asserts on the result.
    public func eventually(attempts: Int = 300, _ condition: () async throws -> Bool) async -> Bool {
        for _ in 0..<attempts {
            if (try? await condition()) == true { return true }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}
