import HomelabCore

/// `zfs.replicate`: copies each dataset's snapshots to the replica pool on the same host
/// (`tank/apps/immich` → `backup/apps/immich`), run on the host as `zfs send | zfs receive` so
/// the data never leaves it. The first copy is a full stream of the oldest snapshot plus every
/// later one (`-I`); after that, an incremental from the newest snapshot both hold, judged by
/// guid (B5), never by name alone.
public struct ZFSReplicate: Action {
    private let sessions: ZFSSessions

    public init(_ transport: ZFSTransport) {
        sessions = ZFSSessions(shell: transport.shell)
    }

    public var schema: ActionSchema {
        ActionSchema(
            name: "zfs.replicate",
            summary: "Replicate datasets' snapshots to the replica pool on the host (full, then incremental by guid).",
            inputs: SSHTarget.inputs + [ZFSInputs.datasets, ZFSInputs.replicaPool, ZFSInputs.timeout],
            outputs: [
                OutputSpec("replicated", "Per dataset: dataset, replica, snapshot (the newest now on the replica), mode (full, incremental, up-to-date)."),
                OutputSpec("bytes", "Bytes sent in all (where the host can count them)."),
            ],
            idempotent: true
        )
    }

    /// What one dataset needs: nothing, a first full copy, or the snapshots after `from`.
    enum Step: Equatable {
        case upToDate(SnapshotEntry)
        case full(first: SnapshotEntry, last: SnapshotEntry)
        case incremental(from: SnapshotEntry, to: SnapshotEntry)
    }

    static func step(dataset: String, replica: String, source: [SnapshotEntry], target: [SnapshotEntry]?, host: String) throws -> Step {
        guard let first = source.first, let last = source.last else {
            throw ZFSError.notRestorable(host: host, dataset: dataset, reason: "it has no snapshot to replicate; run zfs.snapshot first")
        }
        guard let target else { return .full(first: first, last: last) }
        guard let common = source.newestCommon(with: target) else {
            throw ZFSError.notRestorable(
                host: host, dataset: replica,
                reason: "it exists but shares no snapshot (by guid) with \(dataset); refusing to overwrite it: rename or destroy it by hand")
        }
        if let newest = target.last, newest.guid != common.guid {
            throw ZFSError.notRestorable(
                host: host, dataset: replica,
                reason: "it has snapshots newer than @\(common.name), the newest it shares with \(dataset) (its newest is @\(newest.name)); "
                    + "roll it back with zfs rollback -r \(replica)@\(common.name)")
        }
        return common.guid == last.guid ? .upToDate(last) : .incremental(from: common, to: last)
    }

    public func probe(_ call: ActionCall, context: ActionContext) async throws -> ProbeResult {
        let call = schema.defaulted(call)
        let datasets = try ZFSInputs.datasetNames(call, allowPool: false)
        let pool = try ZFSInputs.replicaPool(call)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            var work: [String] = []
            for dataset in datasets {
                let replica = ZFSName.onPool(dataset, pool)
                guard let source = try await host.snapshots(of: dataset) else { throw ZFSError.datasetMissing(host: host.name, dataset: dataset) }
                switch try Self.step(dataset: dataset, replica: replica, source: source, target: try await host.snapshots(of: replica), host: host.name) {
                case .upToDate: continue
                case .full(let first, let last): work.append("full copy of \(dataset)@\(first.name)..@\(last.name) to \(replica)")
                case .incremental(let from, let to): work.append("\(dataset) @\(from.name) → @\(to.name) to \(replica)")
                }
            }
            return work.isEmpty ? .satisfied("every replica holds its dataset's newest snapshot") : .wouldChange(work.joined(separator: "; "))
        }
    }

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let call = schema.defaulted(call)
        let datasets = try ZFSInputs.datasetNames(call, allowPool: false)
        let pool = try ZFSInputs.replicaPool(call)
        return try await sessions.within(try ZFSSessions.Target(call), context: context) { host in
            var results: [Value] = []
            var total: Int64 = 0
            for dataset in datasets {
                let replica = ZFSName.onPool(dataset, pool)
                guard let source = try await host.snapshots(of: dataset) else { throw ZFSError.datasetMissing(host: host.name, dataset: dataset) }
                let step = try Self.step(dataset: dataset, replica: replica, source: source, target: try await host.snapshots(of: replica), host: host.name)
                let (mode, newest, bytes) = try await replicate(step, dataset: dataset, replica: replica, host: host)
                total += bytes
                results.append(
                    .map([("dataset", .string(dataset)), ("replica", .string(replica)), ("snapshot", .string(newest.name)), ("mode", .string(mode))]))
            }
            return ["replicated": .list(results), "bytes": .int(Int(total))]
        }
    }

    private func replicate(_ step: Step, dataset: String, replica: String, host: ZFSHost) async throws -> (String, SnapshotEntry, Int64) {
        let progress = StreamProgress("\(dataset) → \(replica)", expected: nil, context: host.context)
        let label: String
        let newest: SnapshotEntry
        switch step {
        case .upToDate(let last):
            host.context.report("\(replica) holds @\(last.name) already")
            return ("up-to-date", last, 0)
        case .full(let first, let last):
            try await host.ensureParent(of: replica)
            host.context.report("\(dataset): full copy of @\(first.name) to \(replica)")
            try await host.transfer(send: ["\(dataset)@\(first.name)"], receive: ["-u", replica], progress: progress, pool: ZFSName.pool(of: replica))
            if first.guid != last.guid {
                try await host.transfer(
                    send: ["-I", "@\(first.name)", "\(dataset)@\(last.name)"], receive: ["-u", "-F", replica], progress: progress,
                    pool: ZFSName.pool(of: replica))
            }
            (label, newest) = ("full", last)
        case .incremental(let from, let to):
            host.context.report("\(dataset): @\(from.name) → @\(to.name) to \(replica)")
            try await host.transfer(
                send: ["-I", "@\(from.name)", "\(dataset)@\(to.name)"], receive: ["-u", "-F", replica], progress: progress,
                pool: ZFSName.pool(of: replica))
            (label, newest) = ("incremental", to)
        }
        let received = try await host.snapshots(of: replica)?.last
        guard received?.guid == newest.guid else {
            throw ZFSError.verification(host: host.name, dataset: replica, expected: newest.guid, found: received?.guid ?? "none")
        }
        return (label, newest, progress.bytes)
    }

    public func validate(_ inputs: [String: Value]) -> [InputProblem] { ZFSInputs.problems(inputs, allowPool: false) }

    public func describe(_ inputs: [String: Value]) -> String {
        "on the host: zfs send | zfs receive each dataset to \(inputs["replica-pool"]?.text ?? "backup")/..., incremental from the newest common snapshot (by guid), full the first time"
    }
}
