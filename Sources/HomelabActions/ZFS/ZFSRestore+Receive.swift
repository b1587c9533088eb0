import HomelabCore
import HomelabTransport

/// How one dataset is received: under `<target>-homelab-partial`, continuing what an earlier run
/// left there when its snapshots are a verified prefix of the chain (or resuming the interrupted
/// stream where the host's ZFS can), then renamed into place once the newest guid is verified.
extension ZFSRestore {
    func restore(_ dataset: String, call: ActionCall, host: ZFSHost, store: (any BackupStore)?) async throws -> Restored {
        let target = try target(of: dataset, call)
        let temporary = ZFSName.restoreTemporary(target)
        if let newest = try await intact(target, host: host) {
            if try await host.exists(temporary) {
                host.context.report("removing \(temporary), left by an earlier restore of \(target), which is in place now")
                try await host.run(["zfs", "destroy", "-r", temporary], what: "removing \(temporary)")
            }
            host.context.report("\(target) is in place (@\(newest.name))")
            return Restored(dataset: dataset, target: target, tier: "pool", snapshot: newest.name, created: newest.creation, bytes: 0)
        }
        let source = try await source(for: dataset, target: target, call: call, host: host, store: store)
        guard let newest = source.newest else { throw ZFSError.noSource(host: host.name, dataset: dataset, tried: ["\(source.tier): empty chain"]) }
        let capabilities = try await host.capabilities(pool: ZFSName.pool(of: target))
        try await host.ensureParent(of: target)
        let done = try await resumePoint(temporary, source: source, capabilities: capabilities, host: host)
        host.context.report(
            "restoring \(target) from the \(source.tier) up to @\(newest.name): \(source.guids.count - done) of \(source.guids.count) snapshot(s) to receive")
        let bytes: Int64
        switch source {
        case .host(_, let name, let snapshots):
            bytes = try await receive(from: name, snapshots, after: done, into: temporary, resumable: capabilities.resumableReceive, host: host)
        case .cloud(let chain):
            guard let store else { throw ZFSError.noSource(host: host.name, dataset: dataset, tried: ["cloud: not given to the step"]) }
            bytes = try await receive(chain, after: done, into: temporary, store: store, host: host)
        }
        let received = try await host.snapshots(of: temporary) ?? []
        guard received.last?.guid == newest.guid, RestoreSource.progress(of: received, along: source.guids) != nil else {
            throw ZFSError.verification(host: host.name, dataset: "\(temporary)@\(newest.name)", expected: newest.guid, found: received.last?.guid ?? "none")
        }
        try await host.run(["zfs", "rename", temporary, target], what: "renaming \(temporary) to \(target)")
        let mount = try await host.attempt(["zfs", "mount", target])
        if mount.exitStatus != 0 && !mount.stderr.contains("already mounted") {
            host.context.report("\(target) is restored but not mounted: \(ZFSError.said(mount.stderr))")
        }
        host.context.report("\(target) restored from the \(source.tier) at @\(newest.name) (guid \(newest.guid) verified)")
        return Restored(dataset: dataset, target: target, tier: source.tier, snapshot: newest.name, created: newest.created, bytes: bytes)
    }

    /// What an earlier, interrupted restore left: resumed where the host can (a resume token and
    /// a host-side source), kept when its snapshots are the chain's first ones by guid, removed
    /// otherwise. Returns how many of the chain's snapshots are in place.
    func resumePoint(_ temporary: String, source: RestoreSource, capabilities: ZFSCapabilities, host: ZFSHost) async throws -> Int {
        guard try await host.exists(temporary) else { return 0 }
        if capabilities.resumableReceive, let token = try await resumeToken(temporary, host: host) {
            if case .host = source {
                host.context.report("resuming the interrupted receive into \(temporary)")
                do {
                    try await host.transfer(
                        send: ["-t", token], receive: ["-u", "-s", temporary],
                        progress: StreamProgress("resume of \(temporary)", expected: nil, context: host.context),
                        pool: ZFSName.pool(of: temporary))
                } catch let error as ZFSError {
                    host.context.report("the interrupted receive cannot be resumed (\(error)); discarding its partial state")
                    try await host.run(["zfs", "receive", "-A", temporary], what: "discarding the partial receive into \(temporary)")
                }
            } else {
                // A cloud object is a plain stream: it cannot restart mid-way as `send -t` does.
                try await host.run(["zfs", "receive", "-A", temporary], what: "discarding the partial receive into \(temporary)")
            }
        }
        let partial = try await host.snapshots(of: temporary) ?? []
        if let done = RestoreSource.progress(of: partial, along: source.guids), done > 0 {
            host.context.report("\(temporary) holds the chain's first \(done) snapshot(s), verified by guid: continuing from there")
            return done
        }
        host.context.report("removing \(temporary), left by an earlier restore that cannot be continued")
        try await host.run(["zfs", "destroy", "-r", temporary], what: "removing \(temporary)")
        return 0
    }

    private func resumeToken(_ dataset: String, host: ZFSHost) async throws -> String? {
        let result = try await host.attempt(["zfs", "get", "-H", "-o", "value", "receive_resume_token", dataset])
        let token = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return result.exitStatus == 0 && !token.isEmpty && token != "-" ? token : nil
    }

    /// From a dataset on the host: the first snapshot in full, then every later one (`-I`), run
    /// on the host. With resumable receive (`-s`), a killed stream can be resumed by the next run.
    private func receive(
        from source: String, _ snapshots: [SnapshotEntry], after done: Int, into temporary: String, resumable: Bool, host: ZFSHost
    ) async throws -> Int64 {
        let progress = StreamProgress("\(source) → \(temporary)", expected: nil, context: host.context)
        let resume = resumable ? ["-s"] : []
        let pool = ZFSName.pool(of: temporary)
        do {
            if done == 0, let first = snapshots.first {
                try await host.transfer(send: ["\(source)@\(first.name)"], receive: ["-u"] + resume + [temporary], progress: progress, pool: pool)
            }
            let base = snapshots[max(done, 1) - 1]
            if let last = snapshots.last, last.guid != base.guid {
                try await host.transfer(
                    send: ["-I", "@\(base.name)", "\(source)@\(last.name)"], receive: ["-u"] + resume + ["-F", temporary], progress: progress, pool: pool)
            }
        } catch let error as ZFSError {
            guard case .command(_, _, _, let stderr) = error else { throw error }
            throw ZFSError.streamRefused(
                host: host.name, dataset: source, snapshot: snapshots.last?.name ?? "?", reason: ZFSError.said(stderr).dropFirst(2).description)
        }
        return progress.bytes
    }

    /// From the cloud: each manifest's stream downloaded, verified by the store chunk by chunk,
    /// and handed straight to `zfs receive` (never staged), then its guid checked. A stream the
    /// store or ZFS refuses takes back what it may have committed, so the temporary dataset holds
    /// only verified snapshots.
    private func receive(_ chain: [BackupManifest], after done: Int, into temporary: String, store: any BackupStore, host: ZFSHost) async throws -> Int64 {
        var bytes: Int64 = 0
        for index in done..<chain.count {
            let manifest = chain[index]
            let progress = StreamProgress(
                "\(manifest.dataset)@\(manifest.snapshot) from the cloud", expected: manifest.size, exact: true, context: host.context)
            do {
                try await host.receiveStream(["-u"] + (index > 0 ? ["-F"] : []) + [temporary], progress: progress) { write in
                    try await store.download(manifest, to: write, progress: { _ in })
                }
            } catch {
                if error is SSHError || error is CancellationError { throw error }
                try await takeBack(manifest.snapshot, index: index, previous: index > 0 ? chain[index - 1].snapshot : nil, temporary: temporary, host: host)
                let reason =
                    (error as? ZFSError).map { if case .command(_, _, _, let stderr) = $0 { String(ZFSError.said(stderr).dropFirst(2)) } else { "\($0)" } }
                    ?? "\(error)"
                throw ZFSError.streamRefused(host: host.name, dataset: manifest.dataset, snapshot: manifest.snapshot, reason: reason)
            }
            let guid = try await host.properties(["guid"], of: "\(temporary)@\(manifest.snapshot)")["guid"]
            guard guid == manifest.guid else {
                try await takeBack(manifest.snapshot, index: index, previous: index > 0 ? chain[index - 1].snapshot : nil, temporary: temporary, host: host)
                throw ZFSError.verification(host: host.name, dataset: "\(temporary)@\(manifest.snapshot)", expected: manifest.guid, found: guid ?? "none")
            }
            bytes += progress.bytes
        }
        return bytes
    }

    /// Removes a snapshot a refused stream may have committed (the store can refuse after the
    /// last byte, when the whole stream's checksum is known): the whole temporary dataset for a
    /// full stream, a rollback to the previous snapshot for an incremental.
    private func takeBack(_ snapshot: String, index: Int, previous: String?, temporary: String, host: ZFSHost) async throws {
        var committed = try await host.exists("\(temporary)@\(snapshot)")
        if !committed && index == 0 { committed = try await host.exists(temporary) }
        guard committed else { return }
        if index == 0 || previous == nil {
            try await host.runOnceIdle(["zfs", "destroy", "-r", temporary], what: "removing \(temporary) after a refused stream")
        } else if let previous {
            try await host.runOnceIdle(["zfs", "rollback", "-r", "\(temporary)@\(previous)"], what: "rolling \(temporary) back after a refused stream")
        }
    }
}
