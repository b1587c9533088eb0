/// storage/policy.yaml → `StoragePolicy`, with the locations the cross-file checks point at.
struct PolicyDecoder {
    struct Decoded {
        var policy = StoragePolicy()
        /// Where each tag's tier rule is written (its key under the tag).
        var ruleLocations: [StorageTag: [StorageTier: SourceLocation]] = [:]
        var replicaPoolLocation: SourceLocation?
        var tiersLocation: SourceLocation?
        var file: String = "policy.yaml"
    }

    var reader = NodeReader()

    mutating func decode(_ root: YAMLNode) -> Decoded {
        var decoded = Decoded()
        decoded.file = root.location.file
        decoded.tiersLocation = root.location
        guard let pairs = reader.mapping(root, "policy.yaml") else { return decoded }
        var sawPrefix = false
        for (key, pair) in reader.keys(pairs, known: ["snapshots", "tags", "tiers"], in: "policy.yaml") {
            switch key {
            case "snapshots":
                sawPrefix = decodeSnapshots(pair.value, into: &decoded)
            case "tags":
                decodeTags(pair.value, into: &decoded)
            default:
                decoded.tiersLocation = pair.key.location
                decodeTiers(pair.value, into: &decoded)
            }
        }
        if !sawPrefix {
            reader.diagnostics.error(root.location, "policy.yaml needs 'snapshots: {prefix: ...}' (snapshot names are PREFIX + YYYY-MM-DD-HHMM)")
        }
        return decoded
    }

    private mutating func decodeSnapshots(_ node: YAMLNode, into decoded: inout Decoded) -> Bool {
        guard let pairs = reader.mapping(node, "'snapshots'") else { return true }
        var saw = false
        for (_, pair) in reader.keys(pairs, known: ["prefix"], in: "'snapshots'") {
            saw = true
            guard let prefix = reader.string(pair.value, "'prefix'") else { continue }
            if prefix.isEmpty || !ZFSName.isSnapshotText(prefix) {
                reader.diagnostics.error(
                    pair.value.textLocation, "snapshot prefix '\(prefix)' cannot start a snapshot name; use letters, digits, '_', '-', '.', ':'")
                continue
            }
            decoded.policy.snapshotPrefix = prefix
        }
        return saw
    }

    private mutating func decodeTags(_ node: YAMLNode, into decoded: inout Decoded) {
        guard let pairs = reader.mapping(node, "'tags'") else { return }
        let names = StorageTag.allCases.map(\.rawValue)
        for (key, pair) in reader.keys(pairs, known: names, in: "'tags'") {
            let tag = StorageTag(rawValue: key)!
            guard let tierPairs = reader.mapping(pair.value, "tag '\(key)'") else { continue }
            var rules: [StorageTier: Retention] = [:]
            var locations: [StorageTier: SourceLocation] = [:]
            for (tierName, tierPair) in reader.keys(tierPairs, known: StorageTier.allCases.map(\.rawValue), in: "tag '\(key)'") {
                let tier = StorageTier(rawValue: tierName)!
                locations[tier] = tierPair.key.location
                if let rule = decodeRetention(tierPair.value, what: "'\(key).\(tierName)'") { rules[tier] = rule }
            }
            if locations[.local] == nil, let other = locations.values.min() {
                reader.diagnostics.error(other, "tag '\(key)' has no 'local' rule: its replica and cloud copies are made from local snapshots")
            }
            decoded.policy.retention[tag] = rules
            decoded.ruleLocations[tag] = locations
        }
    }

    private mutating func decodeRetention(_ node: YAMLNode, what: String) -> Retention? {
        guard let pairs = reader.mapping(node, what) else { return nil }
        var keep: Int?
        var maxAge: Duration?
        for (key, pair) in reader.keys(pairs, known: ["keep", "max-age"], in: what) {
            if key == "keep" {
                keep = reader.positiveInt(pair.value, "'keep' of \(what)")
            } else if let duration = reader.duration(pair.value, "'max-age' of \(what)") {
                if duration <= .zero {
                    reader.diagnostics.error(pair.value.location, "'max-age' of \(what) must be longer than zero")
                } else {
                    maxAge = duration
                }
            }
        }
        for (key, present) in [("keep", pairs.contains { $0.key.string == "keep" }), ("max-age", pairs.contains { $0.key.string == "max-age" })] where !present
        {
            reader.diagnostics.error(node.location, "\(what) needs '\(key)'")
        }
        guard let keep, let maxAge else { return nil }
        return Retention(keep: keep, maxAge: maxAge)
    }

    private mutating func decodeTiers(_ node: YAMLNode, into decoded: inout Decoded) {
        guard let pairs = reader.mapping(node, "'tiers'") else { return }
        for pair in pairs where pair.key.string == "local" {
            reader.diagnostics.error(pair.key.location, "the local tier needs no settings (it is the dataset's own pool): remove 'local' from 'tiers'")
        }
        let relevant = pairs.filter { $0.key.string != "local" }
        for (key, pair) in reader.keys(relevant, known: ["replica", "cloud"], in: "'tiers'") {
            if key == "replica" {
                decodeReplica(pair.value, into: &decoded)
            } else {
                decoded.policy.cloud = decodeCloud(pair.value)
            }
        }
    }

    private mutating func decodeReplica(_ node: YAMLNode, into decoded: inout Decoded) {
        guard let pairs = reader.mapping(node, "'tiers.replica'") else { return }
        for (_, pair) in reader.keys(pairs, known: ["pool"], in: "'tiers.replica'") {
            guard let pool = reader.string(pair.value, "'tiers.replica.pool'") else { continue }
            if pool.contains("/") || pool.contains("@") {
                reader.diagnostics.error(pair.value.textLocation, "'tiers.replica.pool' names a pool, not a dataset ('\(pool)')")
                continue
            }
            decoded.policy.replicaPool = pool
            decoded.replicaPoolLocation = pair.value.textLocation
        }
        if !pairs.contains(where: { $0.key.string == "pool" }) {
            reader.diagnostics.error(node.location, "'tiers.replica' needs 'pool' (the pool on the second disk, from the inventory's zfs.pools)")
        }
    }

    private static let cloudKeys = ["endpoint", "region", "bucket", "prefix", "access-key", "secret-key", "encryption-key", "full-every"]
    private static let optionalCloudKeys: Set<String> = ["prefix", "full-every"]
    private static let secretKeys: Set<String> = ["access-key", "secret-key", "encryption-key"]

    private mutating func decodeCloud(_ node: YAMLNode) -> CloudTier? {
        guard let pairs = reader.mapping(node, "'tiers.cloud'") else { return nil }
        var values: [String: String] = [:]
        var fullEvery = CloudTier.defaultFullEvery
        for (key, pair) in reader.keys(pairs, known: Self.cloudKeys, in: "'tiers.cloud'") {
            if key == "full-every" {
                if let count = reader.positiveInt(pair.value, "'tiers.cloud.full-every'") { fullEvery = count }
                continue
            }
            guard let text = reader.string(pair.value, "'tiers.cloud.\(key)'") else { continue }
            if key == "endpoint", !(text.hasPrefix("https://") || text.hasPrefix("http://")) || text.count < 9 {
                reader.diagnostics.error(pair.value.textLocation, "'tiers.cloud.endpoint' must be an http:// or https:// URL, found '\(text)'")
                continue
            }
            if Self.secretKeys.contains(key), !Self.isSecretName(text) {
                reader.diagnostics.error(
                    pair.value.textLocation,
                    "'tiers.cloud.\(key)' names a secret (letters, digits, '-', '_'), found '\(Self.preview(text))'; never write the value itself here")
                continue
            }
            values[key] = text
        }
        let given = Set(pairs.compactMap(\.key.string))
        let missing = Self.cloudKeys.filter { !Self.optionalCloudKeys.contains($0) && !given.contains($0) }
        let missingSecrets = missing.filter(Self.secretKeys.contains)
        if !missingSecrets.isEmpty {
            reader.diagnostics.error(
                node.location,
                "'tiers.cloud' needs the names of its secrets: \(missingSecrets.joined(separator: ", ")) (the values come from the secrets store, never from storage/)"
            )
        }
        let missingSettings = missing.filter { !Self.secretKeys.contains($0) }
        if !missingSettings.isEmpty {
            reader.diagnostics.error(node.location, "'tiers.cloud' needs \(missingSettings.map { "'\($0)'" }.joined(separator: ", "))")
        }
        guard let endpoint = values["endpoint"], let region = values["region"], let bucket = values["bucket"], let access = values["access-key"],
            let secret = values["secret-key"], let encryption = values["encryption-key"]
        else { return nil }
        return CloudTier(
            endpoint: endpoint, region: region, bucket: bucket, prefix: values["prefix"] ?? "", accessKeySecret: access, secretKeySecret: secret,
            encryptionKeySecret: encryption, fullEvery: fullEvery)
    }

    private static func isSecretName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// A value written where a secret's name belongs may be the secret itself: show little of it.
    private static func preview(_ text: String) -> String {
        text.count <= 4 ? text : String(text.prefix(2)) + "…"
    }
}
