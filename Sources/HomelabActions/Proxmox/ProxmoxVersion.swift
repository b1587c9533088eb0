import HomelabCore

/// `proxmox.version`: the preflight. Reaches the API with the token, checks the node exists and
/// the release is new enough, and outputs what it found.
public struct ProxmoxVersion: Action {
    private let sessions: ProxmoxSessions

    public init(proxmox: any ProxmoxConnecting) {
        sessions = ProxmoxSessions(connector: proxmox)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "proxmox.version",
            summary: "Check that the Proxmox API answers with the token, the node exists and the release is new enough.",
            inputs: ProxmoxInputs.specs + [
                InputSpec("minimum", .string, "Oldest acceptable release, such as 8.2; older hosts fail the step.")
            ],
            outputs: [
                OutputSpec("version", "The full version (9.1.2)."),
                OutputSpec("release", "The release (9.1)."),
                OutputSpec("node", "The node the other Proxmox steps will use."),
            ],
            idempotent: true
        )
    }

    /// The same read-only checks as a run, so `plan --probe` shows an unreachable host, a refused
    /// token or an untrusted certificate before anything runs. Never "done": a run checks again.
    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let found = try await run(call, context: context)
        return .wouldChange("check again: Proxmox VE \(found["version"]?.text ?? "?") answers on node \(found["node"]?.text ?? "?")")
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let inputs = try ProxmoxInputs.resolve(call)
        let minimum = try call.string("minimum").map { text in
            guard let parsed = Self.numbers(text) else { throw ActionError("'minimum' must be a release such as 8.2, found '\(text)'") }
            return (text, parsed)
        }
        return try await sessions.within(inputs, context: context) { session in
            let version = try await session.api.version()
            let nodes = try await session.api.nodes()
            guard nodes.contains(where: { $0.node == inputs.endpoint.node }) else {
                let known = nodes.map { "\($0.node) (\($0.status))" }.joined(separator: ", ")
                throw ActionError(
                    "node '\(inputs.endpoint.node)' is not on \(inputs.endpoint.url); the host has: \(known.isEmpty ? "no nodes" : known). Set the inventory's 'node' (or the step's 'node') to one of them"
                )
            }
            if let (text, wanted) = minimum, let found = Self.numbers(version.version), found.lexicographicallyPrecedes(wanted) {
                throw ActionError("Proxmox VE \(version.version) on \(inputs.endpoint.node) is older than the minimum \(text); upgrade the host first")
            }
            return ["version": .string(version.version), "release": .string(version.release), "node": .string(inputs.endpoint.node)]
        }
    }

    public func describe(_ inputs: [String: Value]) -> String {
        let node = (try? ProxmoxInputs.resolve(ActionCall(step: "", inputs: inputs), requireToken: false))?.endpoint.node
        let minimum = inputs["minimum"].map { " and release at least \($0.text)" } ?? ""
        return "check the API answers, node \(node ?? "(from the inventory)") exists\(minimum)"
    }

    /// `9.1.2` -> [9, 1, 2]; a suffix such as `-1` is ignored.
    static func numbers(_ version: String) -> [Int]? {
        let head = version.split(separator: "-").first ?? ""
        let parts = head.split(separator: ".").map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        var numbers = parts.compactMap { $0 }
        while numbers.count > 1, numbers.last == 0 { numbers.removeLast() }
        return numbers
    }
}
