import HomelabTransport

/// ProxmoxAPI over a ProxmoxTransport: builds each call, decodes `{"data": ...}` leniently and
/// turns failures into classified ProxmoxErrors. Reads are retried once on a transient error
/// (pveproxy closes idle connections); mutating calls go through `dispatch` (ProxmoxClient+Dispatch).
public struct ProxmoxClient: ProxmoxAPI {
    public let node: String
    let transport: any ProxmoxTransport
    /// `root@pam!homelab`, for messages; never the secret.
    let tokenID: String?
    let policy: ProxmoxRetryPolicy

    public init(node: String, transport: any ProxmoxTransport, tokenID: String? = nil, policy: ProxmoxRetryPolicy = ProxmoxRetryPolicy()) {
        self.node = node
        self.transport = transport
        self.tokenID = tokenID
        self.policy = policy
    }

    public func version() async throws -> ProxmoxVersionInfo {
        ProxmoxDecoding.version(try await read(["version"]))
    }

    public func nodes() async throws -> [ProxmoxNodeInfo] {
        ProxmoxDecoding.nodes(try await read(["nodes"]))
    }

    public func vms() async throws -> [ProxmoxVMSummary] {
        ProxmoxDecoding.vms(try await read(["nodes", node, "qemu"]))
    }

    public func config(vmid: Int) async throws -> ProxmoxVMConfig? {
        try await absentIfMissing { ProxmoxDecoding.config(try await read(vmPath(vmid, "config"))) }
    }

    public func status(vmid: Int) async throws -> ProxmoxVMStatus? {
        try await absentIfMissing { ProxmoxDecoding.status(try await read(vmPath(vmid, "status", "current"))) }
    }

    public func guestInterfaces(vmid: Int) async throws -> [ProxmoxGuestInterface] {
        ProxmoxDecoding.guestInterfaces(try await read(vmPath(vmid, "agent", "network-get-interfaces")))
    }

    public func storages(content: String?) async throws -> [ProxmoxStorage] {
        let query = content.map { [ProxmoxQueryItem("content", .string($0))] } ?? []
        return ProxmoxDecoding.storages(try await read(["nodes", node, "storage"], query))
    }

    public func content(storage: String, content: String?, vmid: Int?) async throws -> [ProxmoxVolume] {
        var query: [ProxmoxQueryItem] = []
        if let content { query.append(.init("content", .string(content))) }
        if let vmid { query.append(.init("vmid", .int(vmid))) }
        return ProxmoxDecoding.volumes(try await read(["nodes", node, "storage", storage, "content"], query))
    }

    public func task(_ id: ProxmoxTaskID) async throws -> ProxmoxTaskStatus {
        ProxmoxDecoding.taskStatus(try await read(taskPath(id, "status")), asked: id)
    }

    /// The log's last `limit` lines: one read learns the total, a second fetches the tail.
    public func taskLog(_ id: ProxmoxTaskID, limit: Int) async throws -> [String] {
        let first = try await readEnvelope(
            ProxmoxRequest(
                "GET", taskPath(id, "log"),
                query: [.init("start", .int(0)), .init("limit", .int(limit))]))
        var lines = first["data"].items
        if let total = first["total"].int, total > limit {
            let tail = try await readEnvelope(
                ProxmoxRequest(
                    "GET", taskPath(id, "log"),
                    query: [.init("start", .int(total - limit)), .init("limit", .int(limit))]))
            lines = tail["data"].items
        }
        return Array(lines.compactMap { $0["t"].text }.suffix(limit))
    }

    public func tasks(vmid: Int?, type: String?, running: Bool) async throws -> [ProxmoxTaskSummary] {
        var query: [ProxmoxQueryItem] = []
        if let vmid { query.append(.init("vmid", .int(vmid))) }
        if let type { query.append(.init("typefilter", .string(type))) }
        query.append(.init("source", .string(running ? "active" : "all")))
        return ProxmoxDecoding.tasks(try await read(["nodes", node, "tasks"], query))
    }

    // MARK: - Exchanges

    func vmPath(_ vmid: Int, _ rest: String...) -> [String] {
        ["nodes", node, "qemu", String(vmid)] + rest
    }

    /// Tasks are polled on the node named in their UPID.
    func taskPath(_ id: ProxmoxTaskID, _ leaf: String) -> [String] {
        ["nodes", id.node ?? node, "tasks", id.upid, leaf]
    }

    /// A GET's `data`.
    func read(_ path: [String], _ query: [ProxmoxQueryItem] = []) async throws -> ProxmoxJSON {
        try await readEnvelope(ProxmoxRequest("GET", path, query: query))["data"]
    }

    /// A GET's whole answer, asked once more after a transient failure.
    func readEnvelope(_ request: ProxmoxRequest) async throws -> ProxmoxJSON {
        do {
            return try await exchange(request)
        } catch let error as ProxmoxError where error.isTransient {
            try await policy.sleep(policy.readRetryDelay)
            return try await exchange(request)
        }
    }

    /// One request, one answer: the parsed envelope of a 2xx, else a classified ProxmoxError.
    func exchange(_ request: ProxmoxRequest) async throws -> ProxmoxJSON {
        try Task.checkCancellation()
        let reply: ProxmoxReply
        do {
            reply = try await transport.send(request)
        } catch let error as HTTPError {
            throw try ProxmoxErrorClassifier.from(error, request: request)
        }
        guard (200...299).contains(reply.status) else {
            throw ProxmoxErrorClassifier.from(reply, request: request, tokenID: tokenID)
        }
        if reply.body.isEmpty { return .object(["data": .null]) }
        guard let json = ProxmoxJSON.parse(reply.body) else {
            throw ProxmoxError(
                .fatal, call: request.call, status: reply.status,
                message: "the answer is not JSON: \(String(decoding: reply.body.prefix(200), as: UTF8.self))",
                hint: "Is this a Proxmox VE API (https://host:8006/api2/json)?")
        }
        return json
    }

    private func absentIfMissing<T>(_ body: () async throws -> T) async throws -> T? {
        do {
            return try await body()
        } catch let error as ProxmoxError where error.kind == .doesNotExist {
            return nil
        }
    }
}
