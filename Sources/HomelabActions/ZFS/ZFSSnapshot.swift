import HomelabCore

/// `zfs.snapshot`: snapshots the datasets under one name, `homelab-YYYY-MM-DD-HHMM` from the
/// engine's clock (UTC), so a run and its re-run in the same minute make it once.
public struct ZFSSnapshot: Action {
    private let sessions: ZFSSessions

    public init(_ transport: ZFSTransport) {
        sessions = ZFSSessions(shell: transport.shell)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "zfs.snapshot",
            summary: "Snapshot datasets as <prefix>YYYY-MM-DD-HHMM (UTC, from the run's clock).",
            inputs: SSHTarget.inputs + [
                ZFSInputs.datasets,
                InputSpec("recursive", .boolean, default: .bool(false), "Also snapshot every descendant, atomically (zfs snapshot -r)."),
                ZFSInputs.prefix,
                InputSpec("name", .string, "An explicit snapshot name instead of the dated one."),
                ZFSInputs.timeout,
            ],
            outputs: [
                OutputSpec("snapshot", "The snapshot's short name (after the @)."),
                OutputSpec("snapshots", "Every snapshot made or found, as dataset@name."),
            ],
            idempotent: true
        )
    }

    private func name(_ call: ActionCall, context: any ActionContext) throws -> String {
        if let explicit = call.string("name") { return try ZFSName.snapshot(explicit) }
        return try ZFSName.snapshot(ZFSName.dated(prefix: call.string("prefix") ?? "homelab-", at: context.clock.now))
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let datasets = try ZFSInputs.datasetNames(call)
        let snapshot = try name(call, context: context)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            for dataset in datasets where try await !host.exists("\(dataset)@\(snapshot)") {
                return .wouldChange("snapshot \(dataset)@\(snapshot)")
            }
            return .satisfied("every dataset has @\(snapshot)")
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let datasets = try ZFSInputs.datasetNames(call)
        let snapshot = try name(call, context: context)
        let recursive = call.inputs["recursive"] == .bool(true)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            for dataset in datasets {
                let full = "\(dataset)@\(snapshot)"
                if try await host.exists(full) {
                    context.report("\(full) exists already")
                    continue
                }
                try await host.run(["zfs", "snapshot"] + (recursive ? ["-r"] : []) + [full], what: "snapshotting \(dataset)")
            }
            return ["snapshot": .string(snapshot), "snapshots": .list(datasets.map { .string("\($0)@\(snapshot)") })]
        }
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] { ZFSInputs.problems(inputs) }

    public func describe(_ inputs: [String: Value]) -> String {
        let recursive = inputs["recursive"] == .bool(true) ? " and every descendant" : ""
        let name = inputs["name"].map { "@\($0.text)" } ?? "@\(inputs["prefix"]?.text ?? "homelab-")YYYY-MM-DD-HHMM (UTC)"
        return "snapshot each dataset\(recursive) as \(name), unless it exists already"
    }
}
