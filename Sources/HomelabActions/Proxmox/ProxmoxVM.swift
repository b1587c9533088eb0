import HomelabCore

/// `proxmox.vm`: makes sure a VM exists as the inventory describes it. Creates it when absent,
/// fixes what can change in place (memory, cores, cpu, name, tags, net0, boot, ...), and reports
/// what cannot (disks, firmware, passthrough). Never destroys anything.
public struct ProxmoxVM: Action {
    private let sessions: ProxmoxSessions

    public init(proxmox: any ProxmoxConnecting) {
        sessions = ProxmoxSessions(connector: proxmox)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "proxmox.vm",
            summary: "Ensure a VM exists with the spec from the inventory: create it, or fix drift that is safe to fix.",
            inputs: ProxmoxInputs.specs + [
                InputSpec(
                    "vm", .map, required: true, resource: .vm,
                    "The VM's inventory entry, such as ${item} over ${inventory.talos.nodes}: vmid, name, cores, sockets, memory (MiB), balloon, cpu (host), disk (64G), storage, mac, bridge, vlan, iso, boot, machine, bios, secure-boot, tpm, gpu (a PCI mapping id), ostype (l26), tags, agent (true), onboot, description. Other facts (role, ip) are ignored."
                ),
                InputSpec(
                    "storage", .string, resource: .storage, "Disk storage for entries without 'storage' (default: the inventory's storage.vm, else local-zfs)."),
                InputSpec("bridge", .string, resource: .bridge, "Network bridge for entries without 'bridge' (default: the inventory's bridge, else vmbr0)."),
                InputSpec("iso", .string, "ISO volume for the CD-ROM, such as local:iso/talos.iso, for entries without 'iso'."),
                InputSpec("lock-timeout", .duration, default: .string("5m"), "How long to wait for a lock held by a backup, migration or other task."),
                InputSpec("timeout", .duration, "How long the create task may take (default 10m)."),
            ],
            outputs: [
                OutputSpec("vmid", "The VM's id."),
                OutputSpec("name", "Its name."),
                OutputSpec("created", "true when this step created it."),
                OutputSpec("fixed", "Differences fixed in place, as 'key: old -> new'."),
                OutputSpec("drift", "Differences left alone because fixing them would touch disks, firmware or passthrough."),
            ],
            idempotent: true
        )
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let inputs = try ProxmoxInputs.resolve(call)
        let spec = try Self.spec(call, inputs)
        return try await sessions.within(inputs, context: context) { session in
            guard let config = try await session.api.config(vmid: spec.vmid) else { return .wouldChange("create \(spec.summary)") }
            if let lock = config.lock { return .wouldChange("\(spec.label) is locked (\(lock)); a run waits for that, then compares it with the inventory") }
            let drift = VMDrift.compare(spec, config)
            guard !drift.isEmpty else { return .satisfied("\(spec.label) exists as specified") }
            var changes: [String] = []
            if !drift.fixable.isEmpty { changes.append("fix " + drift.fixable.map(\.description).joined(separator: "; ")) }
            if !drift.unfixable.isEmpty { changes.append("report without changing " + drift.unfixable.joined(separator: "; ")) }
            return .wouldChange(changes.joined(separator: "; "))
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let inputs = try ProxmoxInputs.resolve(call)
        let spec = try Self.spec(call, inputs)
        let lockTimeout = try call.duration(defaulted: "lock-timeout")
        let timeout = try call.duration("timeout")
        return try await sessions.within(inputs, context: context) { session in
            var config = try await session.waitUnlocked(vmid: spec.vmid, config: session.api.config(vmid: spec.vmid), timeout: lockTimeout)
            var created = false
            if config == nil {
                created = try await create(spec, session: session, timeout: timeout)
                config = try await session.waitUnlocked(vmid: spec.vmid, config: session.api.config(vmid: spec.vmid), timeout: lockTimeout)
            }
            guard let config else {
                throw ActionError(
                    "VM \(spec.vmid) was created but its config cannot be read back on \(session.api.node); look at the create task's log in the web UI",
                    retryable: true)
            }
            let drift = VMDrift.compare(spec, config)
            if !drift.fixable.isEmpty {
                context.report("\(spec.label): fixing " + drift.fixable.map(\.description).joined(separator: "; "))
                let id = try await session.api.updateConfig(vmid: spec.vmid, set: drift.fixes, delete: [], digest: config.digest)
                try await session.finish(id, what: "config change of VM \(spec.vmid)")
            }
            for difference in drift.unfixable { context.report("\(spec.label) differs from the inventory: \(difference)") }
            return [
                "vmid": .int(spec.vmid),
                "name": .string(spec.name ?? config["name"] ?? ""),
                "created": .bool(created),
                "fixed": .list(drift.fixable.map { .string($0.description) }),
                "drift": .list(drift.unfixable.map { .string($0) }),
            ]
        }
    }

    /// Creates the VM; false when it turned out to exist already (a parallel or lost create).
    private func create(_ spec: VMSpec, session: ProxmoxSession, timeout: Duration?) async throws -> Bool {
        session.context.report("creating \(spec.summary)")
        do {
            let id = try await session.api.create(vmid: spec.vmid, config: spec.parameters)
            try await session.finish(id, what: "create of VM \(spec.vmid)", timeout: timeout)
            return true
        } catch let error as ProxmoxError where error.kind == .locked("create") {
            // The worker never started and left a locked placeholder: a person decides what to remove.
            throw ActionError(ProxmoxFailure.redacted(error.description, session.endpoint))
        } catch let error as ProxmoxError where error.kind == .exists {
            session.context.report("VM \(spec.vmid) appeared while creating it (\(error.message)); checking it against the inventory instead")
            return false
        }
    }

    public func describe(_ inputs: [String: Value]) -> String {
        let call = ActionCall(step: "", inputs: inputs)
        guard let resolved = try? ProxmoxInputs.resolve(call, requireToken: false), let spec = try? Self.spec(call, resolved) else {
            return "create the VM unless it exists; fix non-destructive drift"
        }
        return "create \(spec.summary) unless it exists; fix non-destructive drift"
    }

    /// The VM entry is checked at plan time, so a wrong MAC or vmid in the inventory is reported
    /// at its line in the inventory before anything runs, not when the step's turn comes.
    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        guard let vm = inputs["vm"] else { return [] }
        do {
            _ = try VMSpec.parse(vm)
            return []
        } catch let error as InventoryEntryError {
            return [error.problem(in: "vm")]
        } catch {
            return [InputProblem(input: "vm", "\(error)")]
        }
    }

    /// The VM entry with the step's and the inventory's defaults filled in.
    static func spec(_ call: ActionCall, _ inputs: ProxmoxInputs) throws -> VMSpec {
        let defaults = VMSpec.Defaults(
            storage: call.string("storage") ?? inputs.setting("storage", "vm") ?? "local-zfs",
            bridge: call.string("bridge") ?? inputs.setting("bridge") ?? "vmbr0",
            iso: call.string("iso")
        )
        return try VMSpec.parse(call.inputs["vm"] ?? .null, defaults: defaults)
    }
}

extension VMSpec {
    /// `VM 201 'cp-1'`.
    var label: String { "VM \(vmid)" + (name.map { " '\($0)'" } ?? "") }
}
