import HomelabCore

/// `proxmox.destroy`: removes a VM and its disks, including disks of that VMID the config no
/// longer lists, so a reused VMID starts clean. Stops it first; gone already: nothing to do.
public struct ProxmoxDestroy: Action {
    private let sessions: ProxmoxSessions

    public init(proxmox: any ProxmoxConnecting) {
        sessions = ProxmoxSessions(connector: proxmox)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "proxmox.destroy",
            summary: "Stop and delete a VM with all its disks (also from backup jobs, replication and HA).",
            inputs: ProxmoxInputs.specs + [
                InputSpec("vmid", .integer, required: true, resource: .vmid, "The VM's id."),
                InputSpec("timeout", .duration, default: .string("5m"), "How long the stop and the removal may each take."),
                InputSpec("lock-timeout", .duration, default: .string("5m"), "How long to wait for a lock held by another task."),
            ],
            outputs: [OutputSpec("vmid", "The id of the VM removed.")],
            idempotent: true,
            destructive: .always(reason: "deletes the VM and its disks")
        )
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let inputs = try ProxmoxInputs.resolve(call)
        let vmid = try ProxmoxInputs.vmid(call)
        return try await sessions.within(inputs, context: context) { session in
            guard let config = try await session.api.config(vmid: vmid) else { return .satisfied("VM \(vmid) does not exist") }
            let running = try await session.api.status(vmid: vmid)?.status == "running"
            return .wouldChange((running ? "stop and delete" : "delete") + " VM \(vmid)" + (config["name"].map { " '\($0)'" } ?? "") + " and its disks")
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let inputs = try ProxmoxInputs.resolve(call)
        let vmid = try ProxmoxInputs.vmid(call)
        let timeout = try call.duration(defaulted: "timeout")
        return try await sessions.within(inputs, context: context) { session in
            let config = try await session.api.config(vmid: vmid)
            guard try await session.waitUnlocked(vmid: vmid, config: config, timeout: try call.duration(defaulted: "lock-timeout")) != nil else {
                context.report("VM \(vmid) does not exist")
                return ["vmid": .int(vmid)]
            }
            if let status = try await session.api.status(vmid: vmid), status.status == "running" {
                context.report("stopping VM \(vmid)")
                try await session.finish(try await session.api.power(vmid: vmid, .stop), what: "stop of VM \(vmid)", timeout: timeout)
            }
            context.report("removing VM \(vmid) and its disks")
            do {
                try await session.finish(try await session.api.destroy(vmid: vmid), what: "removal of VM \(vmid)", timeout: timeout)
            } catch let error as ProxmoxError where error.kind == .doesNotExist {
                context.report("VM \(vmid) was already gone")
            }
            guard try await session.api.config(vmid: vmid) == nil else {
                throw ActionError("the removal of VM \(vmid) ended OK but its config is still there; look at the task log in the web UI", retryable: true)
            }
            return ["vmid": .int(vmid)]
        }
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        ProxmoxInputs.vmidProblems(inputs)
    }

    public func describe(_ inputs: [String: Value]) -> String {
        let vmid = inputs["vmid"]?.text ?? "?"
        return "stop VM \(vmid) if it runs, then delete it and every disk of VMID \(vmid) (purge); nothing if it does not exist"
    }
}
