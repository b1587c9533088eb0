import HomelabCore

/// The inputs the ZFS actions share and how they are read: the host (as `ssh.exec` reads it,
/// from an address or an inventory entry), the datasets (names, or storage/ entries with a
/// `name`), the replica pool and the cloud tier.
enum ZFSInputs {
    static let datasets = InputSpec(
        "datasets", .list, required: true, resource: .dataset,
        "The datasets: names such as tank/apps/immich, or storage/datasets.yaml entries (their 'name').")
    static let replicaPool = InputSpec(
        "replica-pool", .string, default: .string("backup"), resource: .dataset,
        "The replica pool on the second disk: tank/apps/immich is kept as <replica-pool>/apps/immich.")
    static let prefix = InputSpec(
        "prefix", .string, default: .string("homelab-"), "The prefix of homelab's snapshot names (storage/policy.yaml snapshots.prefix).")
    static let timeout = InputSpec("timeout", .duration, default: .string("24h"), "How long one stream (a send, a receive) may take.")
    static let cloud: [InputSpec] = [
        InputSpec("cloud", .map, "The cloud tier (storage/policy.yaml tiers.cloud): endpoint, region, bucket, prefix."),
        InputSpec("access-key", .string, "The S3 access key id; pass it as ${secrets.NAME}."),
        InputSpec("secret-key", .string, "The S3 secret key; pass it as ${secrets.NAME}."),
        InputSpec("encryption-key", .string, "The key the cloud streams are encrypted and authenticated with; pass it as ${secrets.NAME}."),
    ]

    static func host(_ call: ActionCall, context: any ActionContext, shell: any RemoteShell) throws -> ZFSHost {
        ZFSHost(shell: shell, target: try SSHTarget.resolve(call), context: context, timeout: try call.duration(defaulted: "timeout"))
    }

    /// The dataset names, checked; a pool's root is refused where `allowPool` is false.
    static func datasetNames(_ call: ActionCall, allowPool: Bool = true) throws -> [String] {
        guard case .list(let items)? = call.inputs["datasets"], !items.isEmpty else {
            throw ActionError("'datasets' must be a non-empty list of dataset names or entries with a 'name'")
        }
        return try items.map { try ZFSName.dataset(name(of: $0), allowPool: allowPool) }
    }

    static func name(of item: Value) -> String {
        if case .map(let pairs) = item { return pairs.first { $0.0 == "name" }?.1.text ?? "" }
        return item.text
    }

    static func replicaPool(_ call: ActionCall) throws -> String {
        try ZFSName.dataset(call.string("replica-pool") ?? "backup")
    }

    /// The cloud tier, if the step names one; its secrets must be given with it.
    static func cloud(_ call: ActionCall) throws -> CloudTarget? {
        guard case .map(let pairs)? = call.inputs["cloud"] else { return nil }
        func field(_ key: String, required: Bool = true) throws -> String {
            let value = pairs.first { $0.0 == key }?.1
            guard let text = value.flatMap({ $0 == .null ? nil : $0.text }), !text.isEmpty else {
                if required { throw ActionError("'cloud' has no '\(key)'; give endpoint, region, bucket and prefix") }
                return ""
            }
            return text
        }
        func secret(_ name: String) throws -> String {
            guard let value = call.string(name), !value.isEmpty else { throw ActionError("'\(name)' is required with 'cloud'; pass it as ${secrets.NAME}") }
            return value
        }
        return CloudTarget(
            endpoint: try field("endpoint"), region: try field("region", required: false), bucket: try field("bucket"),
            prefix: try field("prefix", required: false), accessKey: try secret("access-key"), secretKey: try secret("secret-key"),
            encryptionKey: try secret("encryption-key"))
    }

    /// The cloud tier's store when the step names one.
    static func openStore(_ call: ActionCall, backups: any BackupStoreOpening, context: any ActionContext) async throws -> (any BackupStore)? {
        guard let cloud = try cloud(call) else { return nil }
        return try await backups.open(cloud, context: context)
    }

    /// Plan-time checks shared by the actions: the dataset names.
    static func problems(_ inputs: [String: Value], allowPool: Bool = true) -> [InputProblem] {
        guard case .list(let items)? = inputs["datasets"] else { return [] }
        var problems: [InputProblem] = []
        for (index, item) in items.enumerated() {
            let name = name(of: item)
            guard !name.contains("${") else { continue }
            do { _ = try ZFSName.dataset(name, allowPool: allowPool) } catch {
                problems.append(InputProblem(input: "datasets", path: [.index(index)], "\(error)"))
            }
        }
        return problems
    }
}
