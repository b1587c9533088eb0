import HomelabCore

/// `talos.version`: asks a node which Talos it runs, in mutual TLS (a configured node) or, with
/// `maintenance: true`, as talosctl --insecure does (a node waiting for its config).
public struct TalosVersion: Action {
    private let sessions: TalosSessions

    public init(talos: any TalosConnecting) {
        sessions = TalosSessions(connector: talos)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "talos.version",
            summary: "Ask a Talos node its version (and check it is the one expected).",
            inputs: [
                TalosInputs.node,
                TalosInputs.talosconfig,
                InputSpec("maintenance", .boolean, default: .bool(false), "Ask a node in maintenance mode (no client certificate) instead."),
                InputSpec("fingerprint", .string, "In maintenance mode: the public-key fingerprint from the node's console, to pin."),
                InputSpec("expect", .string, "The version the node must run, such as ${inventory.talos.version}; another fails the step."),
            ],
            outputs: [
                OutputSpec("version", "The version tag, such as v1.13.9."),
                OutputSpec("platform", "The platform (metal, nocloud...)."),
            ],
            idempotent: true
        )
    }

    /// Read-only, and never "done": the version is an output, so a run asks again.
    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        .wouldChange("ask \(try TalosNode(schema.defaulted(call))) its Talos version")
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let node = try TalosNode(call)
        let mode: TalosTarget.Mode =
            call.inputs["maintenance"] == .bool(true)
            ? .maintenance(pin: call.string("fingerprint")) : .configured(try TalosInputs.talosconfig(call).identity)
        let version = try await sessions.within(node.target(mode), context: context) { client in try await client.version() }
        let tag = version.version.tag
        if let expected = call.string("expect"), expected != tag {
            throw ActionError("\(node) runs Talos \(tag), not \(expected)")
        }
        return ["version": .string(tag), "platform": .string(version.platform.name)]
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        TalosInputs.nodeProblems(inputs)
    }

    public func describe(_ inputs: [String: Value]) -> String {
        "ask the node its Talos version" + (inputs["maintenance"] == .bool(true) ? " in maintenance mode" : " in mutual TLS")
    }
}
