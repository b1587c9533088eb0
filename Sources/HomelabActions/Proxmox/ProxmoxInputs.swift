import HomelabCore

/// The inputs every Proxmox action shares (`proxmox`, `token`, `node`) and what they resolve to:
/// an endpoint to connect to, plus the inventory's proxmox map for defaults such as storages.
struct ProxmoxInputs: Sendable {
    static let specs: [InputSpec] = [
        InputSpec("proxmox", .any, required: true, "The host: the inventory entry ${inventory.proxmox} (its 'api', 'node' or 'host', 'fingerprint', optional 'ca', 'storage', 'bridge'), or the API URL https://host:8006/api2/json (then 'node' is required)."),
        InputSpec("token", .string, required: true, "The API token USER@REALM!TOKENID=SECRET; pass it as ${secrets.proxmox-token}."),
        InputSpec("node", .string, "The node name (pve); overrides the inventory's."),
    ]

    let endpoint: ProxmoxEndpoint
    /// The inventory's proxmox map; `.null` when the step gave a URL.
    let host: Value

    /// `requireToken` is false for `describe`: a plan shows the secret as a placeholder.
    static func resolve(_ call: ActionCall, requireToken: Bool = true) throws -> ProxmoxInputs {
        var url: String?, node: String?, fingerprint: String?, ca: String?
        let host = call.inputs["proxmox"] ?? .null
        switch host {
        case .string(let text):
            url = text
        case .map:
            url = host["api"]?.text
            node = [host["node"], host["host"]].compactMap { $0 }.first { $0 != .null && !$0.text.isEmpty }?.text
            fingerprint = host["fingerprint"].flatMap { $0 == .null || $0.text.isEmpty ? nil : $0.text }
            ca = host["ca"].flatMap { $0 == .null || $0.text.isEmpty ? nil : $0.text }
        default:
            throw ActionError("'proxmox' must be the inventory entry ${inventory.proxmox} or the API URL, found \(host.kindName)")
        }
        if let given = call.string("node"), !given.isEmpty { node = given }
        guard let url, url.hasPrefix("https://") else {
            throw ActionError("'proxmox' has no https API URL: give the entry an 'api' such as https://192.168.10.2:8006/api2/json")
        }
        guard let node else {
            throw ActionError("'node' is required: the inventory entry has no 'node' or 'host', or 'proxmox' is a bare URL (\(url))")
        }
        let token = call.string("token") ?? ""
        guard !requireToken || Self.isToken(token) else {
            throw ActionError("'token' must be a full API token USER@REALM!TOKENID=SECRET (the value given is not in that form)")
        }
        return ProxmoxInputs(endpoint: ProxmoxEndpoint(url: url, node: node, fingerprint: fingerprint, ca: ca, token: token), host: host)
    }

    static func isToken(_ token: String) -> Bool {
        guard let equals = token.firstIndex(of: "="), token[..<equals].contains("!") else { return false }
        return token.index(after: equals) < token.endIndex
    }

    /// A setting of the inventory's proxmox map, such as `storage.vm` or `bridge`.
    func setting(_ path: String...) -> String? {
        var value: Value? = host
        for key in path { value = value?[key] }
        guard let value, value.isScalar, value != .null, !value.text.isEmpty else { return nil }
        return value.text
    }

    /// Connects, turning connection failures into action errors.
    func connect(_ connector: any ProxmoxConnecting, context: any ActionContext) async throws -> ProxmoxSession {
        let api = try await ProxmoxFailure.mapping(endpoint) { try await connector.connect(endpoint, context: context) }
        return ProxmoxSession(api: api, context: context, endpoint: endpoint)
    }

    /// A VM id input (`vmid: 201` or `"${item.vmid}"`).
    static func vmid(_ call: ActionCall, _ name: String = "vmid") throws -> Int {
        guard let value = call.inputs[name], let id = Int(value.text), (100...999_999_999).contains(id) else {
            throw ActionError("'\(name)' must be a VM id between 100 and 999999999, found '\(call.inputs[name]?.text ?? "")'")
        }
        return id
    }

    static func duration(_ call: ActionCall, _ name: String, _ fallback: Duration) -> Duration {
        call.string(name).flatMap(DurationText.parse) ?? fallback
    }
}
