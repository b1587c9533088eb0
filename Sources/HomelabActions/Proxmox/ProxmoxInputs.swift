import HomelabCore

/// The inputs every Proxmox action shares (`proxmox`, `token`, `node`) and what they resolve to:
/// an endpoint to connect to, plus the inventory's proxmox map for defaults such as storages.
struct ProxmoxInputs: Sendable {
    static let specs: [InputSpec] = [
        InputSpec(
            "proxmox", .any, required: true, resource: .address,
            "The host: the inventory entry ${inventory.proxmox} (its 'api', 'node' or 'host', 'fingerprint', optional 'ca', 'storage', 'bridge'), or the API URL https://host:8006/api2/json (then 'node' is required)."
        ),
        InputSpec("token", .string, required: true, "The API token USER@REALM!TOKENID=SECRET; pass it as ${secrets.proxmox-token}."),
        InputSpec("node", .string, resource: .proxmoxNode, "The node name (pve); overrides the inventory's."),
    ]

    /// `proxmox` is the inventory's entry (its `api`, `node` or `host`, `fingerprint`, `ca`) or
    /// the API URL; the step's `node` overrides the entry's.
    static let input = EndpointInput(
        name: "proxmox", expected: "the inventory entry ${inventory.proxmox} or the API URL",
        addressKeys: ["api"], overrides: ["node"])

    let endpoint: ProxmoxEndpoint
    /// The step's endpoint settings; its entry is the inventory's proxmox map (`.null` when the
    /// step gave a URL), for defaults such as storages.
    let settings: EndpointSettings

    /// `requireToken` is false for `describe`: a plan shows the secret as a placeholder.
    static func resolve(_ call: ActionCall, requireToken: Bool = true) throws(EndpointInputError) -> ProxmoxInputs {
        let settings = try input.resolve(call)
        guard let url = settings.address, url.hasPrefix("https://") else {
            throw .noAddress(input: input.name, what: "https API URL", advice: "give the entry an 'api' such as https://192.168.10.2:8006/api2/json")
        }
        guard let node = settings.string("node", "host") else {
            throw .missing(setting: "node", why: "the inventory entry has no 'node' or 'host', or 'proxmox' is a bare URL (\(url))")
        }
        let token = call.string("token") ?? ""
        guard !requireToken || Self.isToken(token) else {
            throw .invalid(setting: "token", endpoint: nil, expected: "a full API token USER@REALM!TOKENID=SECRET", found: nil)
        }
        let endpoint = ProxmoxEndpoint(url: url, node: node, fingerprint: settings.string("fingerprint"), ca: settings.string("ca"), token: token)
        return ProxmoxInputs(endpoint: endpoint, settings: settings)
    }

    static func isToken(_ token: String) -> Bool {
        guard let equals = token.firstIndex(of: "="), token[..<equals].contains("!") else { return false }
        return token.index(after: equals) < token.endIndex
    }

    /// A setting of the inventory's proxmox map, such as `storage.vm` or `bridge`.
    func setting(_ path: String...) -> String? {
        settings.entrySetting(path)
    }

    /// A VM id input (`vmid: 201` or `"${item.vmid}"`).
    static func vmid(_ call: ActionCall, _ name: String = "vmid") throws -> Int {
        guard let value = call.inputs[name], let id = Int(value.text), (100...999_999_999).contains(id) else {
            throw ActionError(vmidProblem(name, call.inputs[name]))
        }
        return id
    }

    /// Plan time: a VM id the plan knows is checked before the run (`Action.validate`).
    static func vmidProblems(_ inputs: [String: Value], _ name: String = "vmid") -> [InputProblem] {
        guard let value = inputs[name] else { return [] }
        if let id = Int(value.text), (100...999_999_999).contains(id) { return [] }
        return [InputProblem(input: name, vmidProblem(name, value))]
    }

    private static func vmidProblem(_ name: String, _ value: Value?) -> String {
        "'\(name)' must be a VM id between 100 and 999999999, found '\(value?.text ?? "")'"
    }
}
