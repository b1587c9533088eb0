import Foundation
import HomelabCore
import HomelabTransport
import LabSupport

@testable import HomelabActions

/// The lab's Proxmox double for one test (`lab.py serve`), with its control interface: faults,
/// held tasks, settings, certificate rotation and the log of what reached the API.
final class ProxmoxClientLab: @unchecked Sendable {
    let fixture: LabFixture
    let out: URL
    let url: String
    let node: String
    let fingerprint: String
    /// The PEM of the CA that signed the double's certificate (pve-root-ca.pem's role).
    let ca: String?
    let token: String
    let control: String
    /// The inventory the lab wrote (its endpoint, fingerprint, VM specs) and the token's secret
    /// file: what runbooks read, so tests read them too instead of restating them.
    let inventoryPath: String
    let tokenFile: String
    private let http: HTTPClient

    static func start() async throws -> ProxmoxClientLab {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("homelab-client-lab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let fixture = try await LabFixture.start(
            "../lab.py", ["serve", "--out", out.path, "--proxmox-port", "0", "--control-port", "0", "--watch-stdin"])
        return try ProxmoxClientLab(out: out, fixture: fixture)
    }

    private init(out: URL, fixture: LabFixture) throws {
        self.out = out
        self.fixture = fixture
        let proxmox = fixture.info["proxmox"] as? [String: Any] ?? [:]
        url = proxmox["url"] as? String ?? ""
        node = proxmox["node"] as? String ?? "pve"
        fingerprint = proxmox["fingerprint"] as? String ?? ""
        token = proxmox["token"] as? String ?? ""
        ca = proxmox["ca"] as? String
        control = fixture.string("control")
        inventoryPath = fixture.string("inventory")
        tokenFile = proxmox["token_file"] as? String ?? ""
        http = try HTTPClient()
    }

    deinit {
        // The lab's folder goes once the lab has exited (it holds etcd's data while it runs).
        let out = out
        fixture.stopInBackground { try? FileManager.default.removeItem(at: out) }
    }

    func endpoint(fingerprint: String? = nil, token: String? = nil) -> ProxmoxEndpoint {
        ProxmoxEndpoint(url: url, node: node, fingerprint: fingerprint ?? self.fingerprint, token: token ?? self.token)
    }

    /// POSTs a JSON object to the control interface and returns its answer.
    @discardableResult
    func post(_ path: String, _ body: [String: Any] = [:]) async throws -> [String: Any] {
        let bytes = try JSONSerialization.data(withJSONObject: body)
        let response = try await http.send(
            HTTPRequest(
                method: "POST", url: control + path,
                headers: HTTPHeaders([("Content-Type", "application/json")]),
                body: .bytes(Array(bytes)), timeout: .seconds(10)))
        try response.requireStatus()
        return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }

    func fault(_ match: String, _ kind: String, status: Int? = nil, reason: String? = nil, seconds: Double? = nil, count: Int = 1) async throws {
        var rule: [String: Any] = ["match": match, "kind": kind, "count": count]
        if let status { rule["status"] = status }
        if let reason { rule["reason"] = reason }
        if let seconds { rule["seconds"] = seconds }
        try await post("/faults", rule)
    }

    /// GETs a control path and returns its JSON.
    func get(_ path: String) async throws -> Any {
        let response = try await http.send(HTTPRequest(url: control + path, timeout: .seconds(10)))
        try response.requireStatus()
        return try JSONSerialization.jsonObject(with: Data(response.body))
    }

    /// Every request that reached the API: method, path (under /api2/json), status, parameters.
    func requests() async throws -> [(method: String, path: String, status: String, params: [String: Any])] {
        let list = try await get("/requests") as? [[String: Any]] ?? []
        return list.map { ($0["method"] as? String ?? "", $0["path"] as? String ?? "", "\($0["status"] ?? "")", $0["params"] as? [String: Any] ?? [:]) }
    }

    /// The lab's inventory, as a runbook's `${inventory}` sees it.
    func inventory() throws -> Value {
        let (root, diagnostics) = YAMLLoader().load(path: inventoryPath)
        guard let root, !diagnostics.hasErrors else { throw LabInventoryUnreadable(path: inventoryPath) }
        return Value(root)
    }

    /// Creates of one VM that reached the API (a retry or a resume must not add one).
    func creates(of vmid: Int) async throws -> Int {
        try await requests().filter { $0.method == "POST" && $0.path == "/api2/json/nodes/\(node)/qemu" && "\($0.params["vmid"] ?? "")" == "\(vmid)" }.count
    }

    func count(_ method: String, _ path: String) async throws -> Int {
        try await requests().filter { $0.method == method && $0.path == "/api2/json" + path }.count
    }
}

struct LabInventoryUnreadable: Error {
    var path: String
}

/// An ActionContext that really waits (the lab's tasks take real time) and records reports.
final class ClientLabContext: ActionContext, @unchecked Sendable {
    private let lock = NSLock()
    private var _messages: [String] = []
    var messages: [String] { lock.withLock { _messages } }
    func report(_ message: String) { lock.withLock { _messages.append(message) } }
    func approve(_ message: String) async throws -> String { throw ActionError("nobody to ask in tests") }
    let clock: any RunClock = LiveClock()
}
