import HomelabCore

/// `proxmox.start`: starts a VM and checks it really runs. A start task can end OK while QEMU
/// is not running (a passthrough GPU that fails to reset, a guest that dies at once), so the
/// status is read again after the task instead of trusting it.
public struct ProxmoxStart: Action {
    private let sessions: ProxmoxSessions

    public init(proxmox: any ProxmoxConnecting) {
        sessions = ProxmoxSessions(connector: proxmox)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "proxmox.start",
            summary: "Start a VM (if it is not running) and check that it stays running.",
            inputs: ProxmoxInputs.specs + [
                InputSpec("vmid", .integer, required: true, resource: .vmid, "The VM's id."),
                InputSpec("timeout", .duration, "How long the start may take (default 5m, 15m when the VM has a passthrough device)."),
                InputSpec("settle", .duration, default: .string("3s"), "Pause after the start before checking the VM is still running."),
                InputSpec("lock-timeout", .duration, default: .string("5m"), "How long to wait for a lock held by another task."),
            ],
            outputs: [
                OutputSpec("vmid", "The VM's id."),
                OutputSpec("status", "Its status after the start (running)."),
            ],
            idempotent: true
        )
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let inputs = try ProxmoxInputs.resolve(call)
        let vmid = try ProxmoxInputs.vmid(call)
        return try await sessions.within(inputs, context: context) { session in
            guard let status = try await session.api.status(vmid: vmid) else { return .wouldChange("start VM \(vmid) once it exists") }
            guard status.isRunning, status.lock == nil else {
                return .wouldChange("start VM \(vmid) (now \(status.status)" + (status.lock.map { ", locked (\($0))" } ?? "") + ")")
            }
            return .satisfied("VM \(vmid) is running")
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let inputs = try ProxmoxInputs.resolve(call)
        let vmid = try ProxmoxInputs.vmid(call)
        let settle = try call.duration(defaulted: "settle")
        return try await sessions.within(inputs, context: context) { session in
            var config = try await session.existingConfig(vmid, for: "start")
            config = try await session.waitUnlocked(vmid: vmid, config: config, timeout: try call.duration(defaulted: "lock-timeout")) ?? config
            guard let before = try await session.api.status(vmid: vmid) else { throw ActionError("VM \(vmid) disappeared before it could start") }
            if before.isRunning { return ["vmid": .int(vmid), "status": .string(before.status)] }
            let timeout = try call.duration("timeout") ?? Self.defaultTimeout(config)
            context.report("starting VM \(vmid) (allowing \(DurationText.format(timeout)))")
            do {
                let id = try await session.api.power(vmid: vmid, .start)
                try await session.finish(id, what: "start of VM \(vmid)", timeout: timeout)
            } catch let error as ProxmoxError where Self.alreadyRunning(error) {
                context.report("VM \(vmid) was already running")
            }
            if settle > .zero { try await context.sleep(for: settle) }
            let after = try await session.api.status(vmid: vmid)
            guard let after, after.isRunning else {
                let state = after.map { "status \($0.status)" + ($0.qmpStatus.map { ", QEMU \($0)" } ?? "") } ?? "the VM is gone"
                throw ActionError(
                    "the start task of VM \(vmid) ended OK but the VM is not running (\(state)); look at the task log and the host's journal (a passthrough device that fails to reset does this), then retry",
                    retryable: true)
            }
            return ["vmid": .int(vmid), "status": .string(after.status)]
        }
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        ProxmoxInputs.vmidProblems(inputs)
    }

    public func describe(_ inputs: [String: Value]) -> String {
        "start VM \(inputs["vmid"]?.text ?? "?") unless it is running, then check it stays running"
    }

    /// 5 minutes; 15 when a passthrough device makes QEMU's own start timeout four times longer.
    static func defaultTimeout(_ config: ProxmoxVMConfig) -> Duration {
        config.values.keys.contains { $0.hasPrefix("hostpci") } ? .seconds(15 * 60) : .seconds(5 * 60)
    }

    static func alreadyRunning(_ error: ProxmoxError) -> Bool {
        if error.kind == .alreadyRunning { return true }
        if case .taskFailed(let exit) = error.kind { return exit.contains("already running") }
        return false
    }
}
