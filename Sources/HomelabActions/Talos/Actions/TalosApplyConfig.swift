import Foundation
import HomelabCore

/// `talos.apply-config`: renders the node's machine config (templates, patches, inventory and
/// the secrets bundle) and applies it in maintenance mode, then waits until the node answers in
/// mutual TLS with the cluster's CA. A node that already answers so runs a config of this
/// cluster, and nothing is sent to it: changing a running node's config is another action's job.
public struct TalosApplyConfig: Action {
    private let sessions: TalosSessions

    public init(talos: any TalosConnecting) {
        sessions = TalosSessions(connector: talos)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "talos.apply-config",
            summary: "Apply the node's rendered machine config in maintenance mode and wait until it answers in mutual TLS.",
            inputs: [
                TalosInputs.node,
                InputSpec(
                    "cluster", .map, required: true,
                    "The inventory's talos section, ${inventory.talos}: version, cluster, endpoint, schematic, nodes (the node is found there by name)."),
                InputSpec("name", .string, resource: .talosNode, "The node's name in talos.nodes (default: the 'name' of the 'node' entry)."),
                InputSpec("lan", .string, resource: .network, "The LAN, ${inventory.network.lan}: where kubelet and etcd pick their addresses."),
                InputSpec("templates", .string, default: .string("talos"), "The folder with controlplane.yaml, worker.yaml and patches/."),
                TalosInputs.bundle,
                TalosInputs.talosconfig,
                InputSpec(
                    "fingerprint", .string,
                    "The maintenance certificate's public-key fingerprint from the node's console, to pin (default: trust the node on first contact, as talosctl --insecure)."
                ),
            ] + TalosInputs.waits("10m", "How long the node may take to answer in mutual TLS after the apply."),
            outputs: [
                OutputSpec("applied", "true when this step sent the config (false: the node ran it already)."),
                OutputSpec("version", "The node's Talos version, asked in mutual TLS."),
            ],
            idempotent: true
        )
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let node = try TalosNode(call)
        guard let identity = try? TalosInputs.talosconfig(call).identity else {
            return .wouldChange("apply the config to \(node) (no talosconfig yet to ask it in mutual TLS)")
        }
        let access = TalosNodeAccess(sessions: sessions, node: node, context: context)
        do {
            let version = try await access.configuredVersion(identity)
            return .satisfied("\(node) answers in mutual TLS with the cluster's CA (Talos \(version.version.tag))")
        } catch let error as TalosError {
            return .wouldChange("apply the config to \(node) (in mutual TLS: \(error.kind == .certificate ? "not with the cluster's CA" : error.message))")
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let node = try TalosNode(call)
        let identity = try TalosInputs.talosconfig(call).identity
        let config = try render(call, node: node)
        let timeout = try call.duration(defaulted: "timeout")
        let access = TalosNodeAccess(sessions: sessions, node: node, context: context)
        let pin = call.string("fingerprint")
        var budget = PollBudget(timeout, every: try call.duration(defaulted: "interval"), clock: context.clock)
        var last = "it never answered"
        var first = true
        while true {
            if let version = try? await access.configuredVersion(identity) {
                // Configured at the first look: a config of this cluster ran already. Later: the
                // apply this step sent took, even when its answer was lost.
                return outputs(version, applied: !first)
            }
            first = false
            do {
                let answer = try await access.client(.maintenance(pin: pin)).applyConfiguration(Array(config.utf8))
                context.report(
                    "applied the config to \(node)" + (answer.modeDetails.isEmpty ? "" : ": \(answer.modeDetails)") + "; waiting for mutual TLS")
                for warning in answer.warnings { context.report("the node warns: \(warning)") }
                return try await outputs(access.waitConfigured(identity, budget: &budget, why: "after the apply"))
            } catch let error as TalosError where Self.refused(error) {
                throw TalosSessions.mapped(error)
            } catch let error as TalosError {
                // Not ready, a node that reboots with a config already, or an answer lost
                // because the node restarted its API right after taking the config: the next
                // look in mutual TLS tells which.
                last = error.description
            }
            guard try await budget.pauseUntilLimit(context: context) else {
                throw ActionError(
                    "\(node) took no config and did not answer in mutual TLS within \(DurationText.format(timeout)); last: \(last)", retryable: true)
            }
        }
    }

    /// The node said no to the config or to us: sending it again cannot help.
    static func refused(_ error: TalosError) -> Bool {
        [.invalid, .denied, .notServed].contains(error.kind)
    }

    private func outputs(_ version: Machine_Version, applied: Bool = true) -> [String: Value] {
        ["applied": .bool(applied), "version": .string(version.version.tag)]
    }

    /// The node's config, rendered before anything is sent (a template mistake fails here).
    func render(_ call: ActionCall, node: TalosNode) throws -> String {
        let cluster = try Self.cluster(call)
        guard let name = call.string("name") ?? node.name else {
            throw ActionError("'name' is required when 'node' is an address: the node's name in talos.nodes")
        }
        let bundle: TalosSecretsBundle
        do {
            bundle = try SecretsBundleLoader.load(path: try TalosInputs.path(call, "bundle"), displayPath: call.string("bundle"))
        } catch let error as TalosFileError {
            throw ActionError("\(error)")
        }
        let templates = try TalosInputs.path(call, "templates")
        do {
            return try MachineConfigRenderer(talosDirectory: templates, cluster: cluster, bundle: bundle).render(node: name).text
        } catch {
            throw ActionError("cannot render the config of '\(name)': \(error)")
        }
    }

    /// The inventory's talos section (and LAN) as the renderer reads an inventory.
    static func cluster(_ call: ActionCall) throws -> TalosClusterSpec {
        let location = SourceLocation.file("input 'cluster'")
        var root: [(String, Value)] = [("talos", call.inputs["cluster"] ?? .null)]
        if let lan = call.string("lan") { root.append(("network", .map([("lan", .string(lan))]))) }
        do {
            return try TalosClusterSpec(inventory: Inventory(file: "input 'cluster'", root: ConfigDocuments.node(.map(root), at: location)))
        } catch {
            throw ActionError("'cluster' is not a usable talos section: \(error.message)")
        }
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        var problems = TalosInputs.nodeProblems(inputs)
        guard inputs["cluster"] != nil else { return problems }
        do {
            let cluster = try Self.cluster(ActionCall(step: "", inputs: inputs))
            let name = inputs["name"]?.text ?? inputs["node"]?["name"]?.text
            if let name, !cluster.nodes.contains(where: { $0.name == name }) {
                problems.append(InputProblem(input: "cluster", "has no node '\(name)' in its nodes"))
            }
        } catch {
            problems.append(InputProblem(input: "cluster", "\(error)"))
        }
        return problems
    }

    public func describe(_ inputs: [String: Value]) -> String {
        let name = inputs["name"]?.text ?? inputs["node"]?["name"]?.text ?? "the node"
        return "render \(name)'s machine config and apply it in maintenance mode unless the node answers in mutual TLS already"
    }
}
