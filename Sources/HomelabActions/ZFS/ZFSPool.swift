import HomelabCore

/// `zfs.pool`: brings a pool back on a host whose disks survived. Imported already: nothing to
/// do. Importable from its disks: import it. Only when the step says `create: true` and no disk
/// carries a ZFS label is a new, empty pool created; a label that cannot be imported is never
/// written over.
public struct ZFSPool: Action {
    private let sessions: ZFSSessions

    public init(_ transport: ZFSTransport) {
        sessions = ZFSSessions(shell: transport.shell)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "zfs.pool",
            summary: "Import a ZFS pool from its disks; create it only when asked and no pool label is on them.",
            inputs: SSHTarget.inputs + [
                InputSpec(
                    "pool", .any, required: true, resource: .dataset,
                    "The pool: a name, or an inventory entry such as ${inventory.zfs.pools[0]} (its 'name' and 'vdevs')."),
                InputSpec("vdevs", .list, "The vdev layout as zpool create takes it ([mirror, /dev/disk/by-id/a, /dev/disk/by-id/b]); default: the entry's."),
                InputSpec("create", .boolean, default: .bool(false), "Create an empty pool when none is found and no disk carries a ZFS label."),
                InputSpec("mountpoint", .string, "The new pool's mountpoint (zpool create -m); default ZFS's /<pool>."),
                ZFSInputs.timeout,
            ],
            outputs: [
                OutputSpec("pool", "The pool's name."),
                OutputSpec("action", "What was done: present, imported or created."),
                OutputSpec("health", "The pool's health after the step (ONLINE, DEGRADED...)."),
            ],
            idempotent: true,
            destructive: .whenInput("create", reason: "creates a new, empty pool on the disks when no pool label is found on them")
        )
    }

    struct Spec {
        var name: String
        var vdevs: [String]

        /// The disks among the vdev words (`mirror`, `raidz2`, `log`... are layout keywords).
        var disks: [String] { vdevs.filter { $0.hasPrefix("/") } }
        /// Where `zpool import -d` looks: the disks' folders.
        var directories: [String] {
            var seen: [String] = []
            for disk in disks {
                let folder = disk.lastIndex(of: "/").map { String(disk[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "/"
                if !seen.contains(folder) { seen.append(folder) }
            }
            return seen
        }
    }

    static func spec(_ call: ActionCall) throws -> Spec {
        var name = ""
        var vdevs: [Value] = []
        switch call.inputs["pool"] {
        case .map(let pairs)?:
            name = pairs.first { $0.0 == "name" }?.1.text ?? ""
            if case .list(let items)? = pairs.first(where: { $0.0 == "vdevs" })?.1 { vdevs = items }
        case let value?: name = value.text
        case nil: break
        }
        if case .list(let items)? = call.inputs["vdevs"] { vdevs = items }
        let pool = try ZFSName.dataset(name)
        guard !pool.contains("/") else { throw ActionError("'pool' must name a pool, found '\(pool)'") }
        let words = vdevs.map(\.text)
        for word in words where !word.allSatisfy({ ZFSName.allowed.contains($0) }) {
            throw ActionError("vdev '\(word)' of pool \(pool) has characters homelab does not pass to zpool")
        }
        return Spec(name: pool, vdevs: words)
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let spec = try Self.spec(call)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            if let health = try await host.importedPools()[spec.name] { return .satisfied("pool \(spec.name) is imported (\(health))") }
            if try await host.importable(in: spec.directories).contains(spec.name) { return .wouldChange("import pool \(spec.name)") }
            if call.inputs["create"] == .bool(true) {
                return .wouldChange("create pool \(spec.name) on \(spec.disks.joined(separator: ", ")) if no disk has a ZFS label")
            }
            return .wouldChange("pool \(spec.name) is neither imported nor importable; the step would fail")
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let spec = try Self.spec(call)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            var action = "present"
            if try await host.importedPools()[spec.name] == nil {
                if try await host.importable(in: spec.directories).contains(spec.name) {
                    context.report("importing pool \(spec.name) from \(spec.directories.joined(separator: ", "))")
                    try await host.run(["zpool", "import"] + spec.directories.flatMap { ["-d", $0] } + [spec.name], what: "importing pool \(spec.name)")
                    action = "imported"
                } else {
                    try await create(spec, call: call, host: host)
                    action = "created"
                }
            }
            guard let health = try await host.importedPools()[spec.name] else {
                throw ZFSError.poolMissing(host: host.name, pool: spec.name, disks: spec.disks, advice: "zpool reported success but does not list it")
            }
            return ["pool": .string(spec.name), "action": .string(action), "health": .string(health)]
        }
    }

    /// Creating is the last resort: asked for, and no disk carries any pool's label.
    private func create(_ spec: Spec, call: ActionCall, host: ZFSHost) async throws {
        guard call.inputs["create"] == .bool(true) else {
            throw ZFSError.poolMissing(
                host: host.name, pool: spec.name, disks: spec.disks,
                advice: "check that the disks are attached; set 'create: true' to make a new, empty pool instead")
        }
        guard !spec.disks.isEmpty else { throw ActionError("pool \(spec.name) has no disks to create it on: give 'vdevs'") }
        for disk in spec.disks {
            if let label = try await host.label(of: disk) {
                throw ZFSError.poolLabelFound(host: host.name, pool: spec.name, disk: disk, label: label)
            }
        }
        host.context.report("creating pool \(spec.name) on \(spec.vdevs.joined(separator: " "))")
        let mountpoint = call.string("mountpoint").map { ["-m", $0] } ?? []
        try await host.run(["zpool", "create"] + mountpoint + [spec.name] + spec.vdevs, what: "creating pool \(spec.name)")
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] {
        guard let pool = inputs["pool"], case .string(let name) = pool, !name.contains("${") else { return [] }
        do { _ = try ZFSName.dataset(name) } catch { return [InputProblem(input: "pool", "\(error)")] }
        return name.contains("/") ? [InputProblem(input: "pool", "a pool name has no '/'")] : []
    }

    public func describe(_ inputs: [String: Value]) -> String {
        let name: String
        if case .map(let pairs)? = inputs["pool"] { name = pairs.first { $0.0 == "name" }?.1.text ?? "?" } else { name = inputs["pool"]?.text ?? "?" }
        let create =
            inputs["create"] == .bool(true) ? "; if none is found and no disk has a ZFS label, create an empty one (DESTRUCTIVE)" : "; never creates one"
        return "import pool \(name) from its disks unless it is imported already" + create
    }
}
