import Foundation
import HomelabCore

/// The inputs Talos actions share: which node (`node`), the talosconfig that opens a configured
/// node's mutual TLS, and the secrets bundle. Paths may start with `~`; relative paths are
/// relative to where homelab runs.
enum TalosInputs {
    static let node = InputSpec(
        "node", .any, required: true, resource: .talosNode,
        "The node: its inventory entry, such as ${item} over ${inventory.talos.nodes} (its 'talos-api' ADDRESS:PORT, else its 'ip'), or an address (port 50000 unless given)."
    )
    static let talosconfig = InputSpec(
        "talosconfig", .string, default: .string(defaultTalosconfig),
        "The talosconfig that talos.secrets writes: the cluster's OS CA and an os:admin client certificate (mode 0600).")
    static let bundle = InputSpec(
        "bundle", .string, default: .string(defaultBundle),
        "The cluster's secrets bundle (secrets.yaml as talosctl gen secrets writes it), the file to back up; values are never shown.")

    /// `timeout` and `interval` of a step that waits for a node.
    static func waits(_ timeout: String, _ what: String) -> [InputSpec] {
        [
            InputSpec("timeout", .duration, default: .string(timeout), what),
            InputSpec("interval", .duration, default: .string("500ms"), "Pause between two looks."),
        ]
    }

    static let defaultBundle = "~/.config/homelab/talos-secrets.yaml"
    static let defaultTalosconfig = "~/.config/homelab/talosconfig"

    static let endpoint = EndpointInput(
        name: "node", expected: "a Talos node's address or its inventory entry (with 'talos-api' or 'ip')", addressKeys: ["talos-api", "ip", "address"])

    /// A path input with `~` expanded.
    static func path(_ call: ActionCall, _ name: String) throws -> String {
        guard let text = call.string(name), !text.isEmpty else { throw ActionError("'\(name)' must name a file") }
        return (text as NSString).expandingTildeInPath
    }

    /// The talosconfig's current context: what configured mode authenticates with.
    static func talosconfig(_ call: ActionCall) throws -> TalosContext {
        let given = call.string("talosconfig") ?? defaultTalosconfig
        let path = try path(call, "talosconfig")
        guard FileManager.default.fileExists(atPath: path) else {
            throw ActionError("no talosconfig at \(given): run talos.secrets first (it writes one from the secrets bundle)")
        }
        do {
            return try TalosConfigFile.load(path: path, displayPath: given)
        } catch {
            throw ActionError("\(error)")
        }
    }

    /// Plan time: `node` must be an address or a mapping.
    static func nodeProblems(_ inputs: [String: Value]) -> [InputProblem] {
        guard let value = inputs["node"] else { return [] }
        do {
            _ = try TalosNode(ActionCall(step: "", inputs: ["node": value]))
            return []
        } catch {
            return [InputProblem(input: "node", "\(error)")]
        }
    }
}

/// One node as a step names it: where its apid answers, and its name and address when the
/// step gave its inventory entry.
struct TalosNode: Sendable, CustomStringConvertible {
    /// `ADDRESS` or `ADDRESS:PORT`: the entry's `talos-api`, else its `ip`.
    let endpoint: String
    let name: String?
    /// The node's own address (its `ip`), what health checks and talosconfigs list.
    let ip: String

    init(_ call: ActionCall) throws {
        let settings = try TalosInputs.endpoint.resolve(call)
        endpoint = try settings.requireAddress("address", advice: "give the entry an 'ip' (or 'talos-api': ADDRESS:PORT)")
        name = settings.string("name")
        ip = settings.string("ip") ?? Self.host(of: endpoint)
    }

    init(value: Value) throws {
        try self.init(ActionCall(step: "", inputs: ["node": value]))
    }

    func target(_ mode: TalosTarget.Mode) -> TalosTarget {
        TalosTarget(endpoint: endpoint, mode: mode)
    }

    var description: String { name.map { "\($0) (\(endpoint))" } ?? endpoint }

    /// The host part of `HOST:PORT`, `[V6]:PORT` or a bare address.
    static func host(of endpoint: String) -> String {
        if endpoint.hasPrefix("["), let end = endpoint.firstIndex(of: "]") { return String(endpoint[endpoint.index(after: endpoint.startIndex)..<end]) }
        let colons = endpoint.count(where: { $0 == ":" })
        if colons == 1, let colon = endpoint.firstIndex(of: ":") { return String(endpoint[..<colon]) }
        return endpoint
    }
}
