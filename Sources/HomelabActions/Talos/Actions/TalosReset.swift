import HomelabCore
import HomelabTransport
import SwiftProtobuf

/// `talos.reset`: wipes a node (its STATE and EPHEMERAL partitions by default: config and etcd
/// data) and reboots it into maintenance mode: for cleaning up after a drill, or before a
/// recovery on a node whose etcd data is bad. Destructive: the step must say so.
public struct TalosReset: Action {
    private let sessions: TalosSessions

    public init(talos: any TalosConnecting) {
        sessions = TalosSessions(connector: talos)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "talos.reset",
            summary: "Wipe a Talos node's partitions and reboot it into maintenance mode (or power it off).",
            inputs: [
                TalosInputs.node,
                TalosInputs.talosconfig,
                InputSpec(
                    "wipe", .list, default: .list([.string("STATE"), .string("EPHEMERAL")]),
                    "The system partitions to wipe: STATE (the config), EPHEMERAL (/var, etcd's data)."),
                InputSpec("reboot", .boolean, default: .bool(true), "Reboot afterwards (into maintenance mode when STATE is wiped); false powers it off."),
                InputSpec("graceful", .boolean, default: .bool(false), "Leave etcd and drain the node first (a healthy cluster's member)."),
            ] + TalosInputs.waits("10m", "How long the node may take to come back in maintenance mode."),
            outputs: [OutputSpec("wiped", "The partitions wiped.")],
            idempotent: true,
            destructive: .always(reason: "wipes the node's config and data (etcd's with EPHEMERAL)")
        )
    }

    /// Done when the node answers in maintenance mode: it has no config left to wipe.
    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let node = try TalosNode(call)
        if await inMaintenance(node, context: context) { return .satisfied("\(node) is in maintenance mode (no config)") }
        return .wouldChange("wipe \(Self.labels(call).joined(separator: ", ")) on \(node)")
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let node = try TalosNode(call)
        let labels = Self.labels(call)
        guard !labels.isEmpty else { throw ActionError("'wipe' must name at least one partition, such as STATE or EPHEMERAL") }
        if await inMaintenance(node, context: context) {
            context.report("\(node) is in maintenance mode already")
            return ["wiped": .list([])]
        }
        let identity = try TalosInputs.talosconfig(call).identity
        let reboot = call.inputs["reboot"] != .bool(false)
        let request = Machine_ResetRequest.with {
            $0.graceful = call.inputs["graceful"] == .bool(true)
            $0.reboot = reboot
            $0.systemPartitionsToWipe = labels.map { label in
                Machine_ResetPartitionSpec.with {
                    $0.label = label
                    $0.wipe = true
                }
            }
        }
        _ = try await sessions.within(node.target(.configured(identity)), context: context) { client in try await client.reset(request) }
        context.report("reset \(node): wiping \(labels.joined(separator: ", "))")
        if reboot && labels.contains("STATE") {
            var budget = PollBudget(try call.duration(defaulted: "timeout"), every: try call.duration(defaulted: "interval"), clock: context.clock)
            while !(await inMaintenance(node, context: context)) {
                guard try await budget.pauseUntilLimit(context: context) else {
                    throw ActionError("\(node) was not back in maintenance mode within \(DurationText.format(budget.limit)) after the reset", retryable: true)
                }
            }
            context.report("\(node) is back in maintenance mode")
        }
        return ["wiped": .list(labels.map { .string($0) })]
    }

    /// A node that serves Version without a client certificate has no config.
    private func inMaintenance(_ node: TalosNode, context: any ActionContext) async -> Bool {
        guard let client = try? await sessions.open(node.target(.maintenance(pin: nil)), context: context) else { return false }
        return (try? await client.version()) != nil
    }

    static func labels(_ call: ActionCall) -> [String] {
        guard case .list(let items)? = call.inputs["wipe"] else { return [] }
        return items.map { $0.text.uppercased() }
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        var problems = TalosInputs.nodeProblems(inputs)
        if case .list(let items)? = inputs["wipe"] {
            for (index, item) in items.enumerated() where !["STATE", "EPHEMERAL", "META"].contains(item.text.uppercased()) {
                problems.append(InputProblem(input: "wipe", path: [.index(index)], "must be STATE, EPHEMERAL or META, found '\(item.text)'"))
            }
        }
        return problems
    }

    public func describe(_ inputs: [String: Value]) -> String {
        "wipe the node's " + Self.labels(schema.defaulted(ActionCall(step: "", inputs: inputs))).joined(separator: ", ")
            + " and reboot it, unless it is in maintenance mode already"
    }
}
