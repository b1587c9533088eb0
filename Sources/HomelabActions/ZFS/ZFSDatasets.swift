import HomelabCore

/// `zfs.datasets`: makes the datasets exist with their properties (storage/datasets.yaml
/// entries), creating missing ones with their parents and setting properties that differ.
/// Nothing is ever destroyed or renamed.
public struct ZFSDatasets: Action {
    private let sessions: ZFSSessions

    public init(_ transport: ZFSTransport) {
        sessions = ZFSSessions(shell: transport.shell)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "zfs.datasets",
            summary: "Create missing datasets and set their properties (storage/datasets.yaml entries).",
            inputs: SSHTarget.inputs + [
                InputSpec(
                    "datasets", .list, required: true, resource: .dataset,
                    "The datasets: names, or entries with 'name' and 'properties' (a mapping such as {compression: lz4, atime: 'off'})."),
                ZFSInputs.timeout,
            ],
            outputs: [
                OutputSpec("created", "The datasets created, in order."),
                OutputSpec("changed", "The datasets whose properties were set."),
            ],
            idempotent: true
        )
    }

    struct Wanted {
        var name: String
        var properties: [(String, String)]
    }

    static func wanted(_ call: ActionCall) throws -> [Wanted] {
        let names = try ZFSInputs.datasetNames(call)
        guard case .list(let items)? = call.inputs["datasets"] else { return [] }
        return try zip(names, items).map { name, item in
            var properties: [(String, String)] = []
            if case .map(let pairs) = item, case .map(let props)? = pairs.first(where: { $0.0 == "properties" })?.1 {
                for (key, value) in props {
                    guard key.allSatisfy({ $0.isLetter || $0.isNumber || ":_.-".contains($0) }),
                        value.text.allSatisfy({ ZFSName.allowed.contains($0) || $0 == "," || $0 == "=" })
                    else { throw ActionError("property \(key) of \(name) has characters homelab does not pass to zfs") }
                    properties.append((key, value.text))
                }
            }
            return Wanted(name: name, properties: properties)
        }
    }

    /// What differs on the host: datasets to create, properties to set.
    private func drift(_ wanted: [Wanted], host: ZFSHost) async throws -> (missing: [Wanted], differing: [(String, [(String, String)])]) {
        var missing: [Wanted] = []
        var differing: [(String, [(String, String)])] = []
        for dataset in wanted {
            guard try await host.exists(dataset.name) else {
                missing.append(dataset)
                continue
            }
            guard !dataset.properties.isEmpty else { continue }
            let current = try await host.properties(dataset.properties.map(\.0), of: dataset.name)
            let changes = dataset.properties.filter { !Self.same(current[$0.0], $0.1) }
            if !changes.isEmpty { differing.append((dataset.name, changes)) }
        }
        return (missing, differing)
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let wanted = try Self.wanted(call)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            let (missing, differing) = try await drift(wanted, host: host)
            if missing.isEmpty && differing.isEmpty { return .satisfied("all \(wanted.count) datasets exist with their properties") }
            let parts =
                missing.map { "create \($0.name)" }
                + differing.map { name, changes in "set " + changes.map { "\($0.0)=\($0.1)" }.joined(separator: ",") + " on \(name)" }
            return .wouldChange(parts.joined(separator: "; "))
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let wanted = try Self.wanted(call)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            let (missing, differing) = try await drift(wanted, host: host)
            for dataset in missing {
                context.report("creating \(dataset.name)")
                let options = dataset.properties.flatMap { ["-o", "\($0.0)=\($0.1)"] }
                try await host.run(["zfs", "create", "-p"] + options + [dataset.name], what: "creating \(dataset.name)")
            }
            for (name, changes) in differing {
                for (key, value) in changes {
                    context.report("setting \(key)=\(value) on \(name)")
                    try await host.run(["zfs", "set", "\(key)=\(value)", name], what: "setting \(key) on \(name)")
                }
            }
            return ["created": .list(missing.map { .string($0.name) }), "changed": .list(differing.map { .string($0.0) })]
        }
    }

    /// The host's value (exact, `-p`) against the wanted one: equal text, or equal sizes
    /// (`128K` is 131072), case aside (`on` and `ON`).
    static func same(_ current: String?, _ wanted: String) -> Bool {
        guard let current else { return false }
        if current.lowercased() == wanted.lowercased() { return true }
        if let a = bytes(current), let b = bytes(wanted) { return a == b }
        return false
    }

    static func bytes(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        if let value = Int64(text) { return value }
        guard let last = text.uppercased().last, let unit = units[last], let value = Int64(text.dropLast()) else { return nil }
        return value * unit
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] { ZFSInputs.problems(inputs) }

    public func describe(_ inputs: [String: Value]) -> String {
        let count = inputs["datasets"].flatMap { if case .list(let items) = $0 { items.count } else { nil } }
        return "create the missing ones of \(count.map(String.init) ?? "the") datasets (with parents) and set properties that differ; never destroys"
    }
}
