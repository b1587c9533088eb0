import HomelabCore

/// `proxmox.restore`: brings a VM back from its newest vzdump backup onto this host's storage.
/// Meant for a missing VM; replacing an existing one needs `force: true` (and the step marked
/// destructive). A failed restore leaves a half-written VM behind, so it is removed before the
/// step fails, and the retry starts clean.
public struct ProxmoxRestore: Action {
    private let sessions: ProxmoxSessions

    public init(proxmox: any ProxmoxConnecting) {
        sessions = ProxmoxSessions(connector: proxmox)
    }

    static let diskKeys = ["scsi", "virtio", "sata", "ide", "efidisk", "tpmstate", "unused", "mp", "rootfs"]

    public var schema: ActionSchema {
        ActionSchema(
            name: "proxmox.restore",
            summary: "Restore a VM from its newest backup (or a given archive) onto this host.",
            inputs: ProxmoxInputs.specs + [
                InputSpec("vmid", .integer, required: true, resource: .vmid, "The VM's id (the backup's, kept so MACs and DHCP reservations still match)."),
                InputSpec("storage", .string, resource: .storage, "Storage for the restored disks (default: the inventory's storage.vm)."),
                InputSpec("backups", .string, resource: .storage, "The backup storage to look in (default: the inventory's storage.backups)."),
                InputSpec(
                    "archive", .string,
                    "A backup volume to restore instead of the newest, such as backup-hdd:backup/vzdump-qemu-201-2026_11_01-03_00_00.vma.zst."),
                InputSpec("force", .boolean, default: .bool(false), "Replace an existing VM and its disks."),
                InputSpec("overrides", .map, "Non-disk config keys to set instead of the backup's (name, memory, cores, tags, net0, ...)."),
                InputSpec("timeout", .duration, default: .string("60m"), "How long the restore may take."),
                InputSpec("lock-timeout", .duration, default: .string("5m"), "How long to wait for a lock held by another task."),
            ],
            outputs: [
                OutputSpec("vmid", "The VM's id."),
                OutputSpec("archive", "The backup volume restored."),
            ],
            idempotent: true,
            destructive: .whenInput("force", reason: "replaces the existing VM and its disks")
        )
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let inputs = try ProxmoxInputs.resolve(call)
        let vmid = try ProxmoxInputs.vmid(call)
        let force = call.inputs["force"] == .bool(true)
        let source = call.string("archive") ?? "its newest backup"
        return try await sessions.within(inputs, context: context) { session in
            guard let config = try await session.api.config(vmid: vmid) else { return .wouldChange("restore VM \(vmid) from \(source)") }
            if force { return .wouldChange("replace VM \(vmid)" + (config["name"].map { " '\($0)'" } ?? "") + " and its disks with \(source)") }
            if let lock = config.lock { return .wouldChange("VM \(vmid) is locked (\(lock)); a run waits for a restore still running, else fails") }
            return .satisfied("VM \(vmid) exists; restore is only for a missing VM unless force: true")
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let inputs = try ProxmoxInputs.resolve(call)
        let vmid = try ProxmoxInputs.vmid(call)
        let force = call.inputs["force"] == .bool(true)
        let overrides = try Self.overrides(call)
        guard let storage = call.string("storage") ?? inputs.setting("storage", "vm") else {
            throw ActionError(
                "'storage' is required: the inventory's proxmox entry has no storage.vm, and without one the disks would go back to storages this host may not have"
            )
        }
        let timeout = try call.duration(defaulted: "timeout")
        return try await sessions.within(inputs, context: context) { session in
            var existing = try await session.api.config(vmid: vmid)
            // A resume after a crash finds the restore this step started still running.
            let running = existing?.lock != nil ? try await session.activeTask(vmid: vmid, types: ["qmrestore"]) : nil
            if existing != nil, running == nil, !force {
                throw ActionError(
                    "VM \(vmid) already exists on \(session.api.node); restore is only for a missing VM. To replace it and its disks, set 'force: true' and mark the step 'destructive: true'"
                )
            }
            let archive = try await Self.archive(call, inputs: inputs, vmid: vmid, session: session)
            do {
                if let running {
                    context.report("a restore of VM \(vmid) is already running (\(running.id)); waiting for it")
                    try await session.finish(running.id, what: "restore of VM \(vmid)", timeout: timeout)
                } else {
                    existing = try await session.waitUnlocked(vmid: vmid, config: existing, timeout: try call.duration(defaulted: "lock-timeout"))
                    context.report("restoring VM \(vmid) from \(archive) onto \(storage)" + (existing != nil ? " (replacing the existing VM)" : ""))
                    let id = try await session.api.restore(
                        vmid: vmid, archive: archive, storage: storage, force: force && existing != nil, overrides: overrides)
                    try await session.finish(id, what: "restore of VM \(vmid) from \(archive)", timeout: timeout)
                }
            } catch let error as ProxmoxError {
                guard case .taskFailed = error.kind else { throw error }
                try await Self.cleanUp(vmid, after: error, session: session)
            }
            context.report("VM \(vmid) restored from \(archive)")
            return ["vmid": .int(vmid), "archive": .string(archive)]
        }
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        ProxmoxInputs.vmidProblems(inputs)
    }

    public func describe(_ inputs: [String: Value]) -> String {
        let vmid = inputs["vmid"]?.text ?? "?"
        let source = inputs["archive"].map { "from \($0.text)" } ?? "from its newest backup"
        let replace = inputs["force"] == .bool(true) ? "; replaces VM \(vmid) and its disks if it exists" : " unless it exists"
        return "restore VM \(vmid) \(source)\(replace)"
    }

    /// The archive given, else the newest backup of the VM by creation time.
    static func archive(_ call: ActionCall, inputs: ProxmoxInputs, vmid: Int, session: ProxmoxSession) async throws -> String {
        if let archive = call.string("archive"), !archive.isEmpty { return archive }
        guard let backups = call.string("backups") ?? inputs.setting("storage", "backups") else {
            throw ActionError("'backups' is required: name the backup storage, or give the inventory's proxmox entry a storage.backups")
        }
        let volumes = try await session.api.content(storage: backups, content: "backup", vmid: vmid).filter { $0.vmid == nil || $0.vmid == vmid }
        guard let newest = volumes.max(by: { ($0.ctime ?? 0) < ($1.ctime ?? 0) }) else {
            throw ActionError(
                "no backup of VM \(vmid) on storage '\(backups)' (node \(session.api.node)); check the storage is mounted and holds vzdump-qemu-\(vmid)-* files, or give 'archive'"
            )
        }
        return newest.volid
    }

    /// Removes what a failed restore left, then fails retryably so the next attempt starts clean.
    static func cleanUp(_ vmid: Int, after failure: ProxmoxError, session: ProxmoxSession) async throws -> Never {
        let context = session.context
        let reason = ProxmoxFailure.redacted(failure.description, session.endpoint)
        guard try await session.api.config(vmid: vmid) != nil else {
            throw ActionError("\(reason)\n  nothing was left behind; the next attempt starts clean", retryable: true)
        }
        context.report("the restore of VM \(vmid) failed; removing the partial VM so a retry starts clean")
        do {
            if let status = try await session.api.status(vmid: vmid), status.status == "running" {
                try await session.finish(try await session.api.power(vmid: vmid, .stop), what: "stop of the partial VM \(vmid)")
            }
            try await session.finish(try await session.api.destroy(vmid: vmid), what: "removal of the partial VM \(vmid)")
        } catch let error as ProxmoxError {
            throw ActionError(
                """
                \(reason)
                  and removing the partial VM failed too: \(ProxmoxFailure.redacted(error.description, session.endpoint))
                  Remove it on the host ('qm destroy \(vmid) --purge --skiplock'), or re-run with 'force: true'.
                """)
        }
        context.report("partial VM \(vmid) removed")
        throw ActionError("\(reason)\n  the partial VM was removed; the next attempt starts clean", retryable: true)
    }

    /// Non-disk keys only: the API refuses disk keys together with an archive.
    static func overrides(_ call: ActionCall) throws -> ProxmoxParameters {
        guard let value = call.inputs["overrides"], value != .null else { return [:] }
        guard case .map(let pairs) = value else { throw ActionError("'overrides' must be a mapping of config keys, found \(value.kindName)") }
        var parameters: ProxmoxParameters = [:]
        for (key, item) in pairs {
            if diskKeys.contains(where: { key.hasPrefix($0) && key.dropFirst($0.count).allSatisfy(\.isNumber) }) {
                throw ActionError("'overrides' has '\(key)', a disk key; a restore takes its disks from the backup (set 'storage' to choose where they go)")
            }
            switch item {
            case .int(let number): parameters[key] = .int(number)
            case .bool(let flag): parameters[key] = .bool(flag)
            case .string(let text): parameters[key] = .string(text)
            case .double: parameters[key] = .string(item.text)
            case .list(let items) where items.allSatisfy(\.isScalar): parameters[key] = .string(items.map(\.text).joined(separator: ";"))
            default: throw ActionError("'overrides.\(key)' must be a plain value, found \(item.kindName)")
            }
        }
        return parameters
    }
}
