import HomelabCore

/// What the ZFS actions fail with: each case names the host and the dataset or pool, and says
/// what to do next. Turned into the step's ActionError by `ZFSSessions`.
public enum ZFSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A zfs/zpool command exited non-zero; `stderr` holds ZFS's own words (B6).
    case command(host: String, what: String, status: Int, stderr: String)
    case datasetMissing(host: String, dataset: String)
    case poolMissing(host: String, pool: String, disks: [String], advice: String)
    case poolLabelFound(host: String, pool: String, disk: String, label: String)
    case badName(String, reason: String)
    /// An incremental stream's base is in no tier: the chain cannot be restored past it.
    case missingBase(dataset: String, snapshot: String, base: String, baseGuid: String)
    case verification(host: String, dataset: String, expected: String, found: String)
    case noSource(host: String, dataset: String, tried: [String])
    case streamRefused(host: String, dataset: String, snapshot: String, reason: String)
    case notRestorable(host: String, dataset: String, reason: String)

    public var description: String {
        switch self {
        case .command(let host, let what, let status, let stderr):
            "\(what) on \(host) failed (exit \(status))" + Self.said(stderr)
        case .datasetMissing(let host, let dataset):
            "dataset \(dataset) does not exist on \(host)"
        case .poolMissing(let host, let pool, let disks, let advice):
            "pool \(pool) is neither imported nor importable on \(host) (disks: \(disks.joined(separator: ", "))); \(advice)"
        case .poolLabelFound(let host, let pool, let disk, let label):
            "\(disk) on \(host) carries a ZFS label of pool '\(label)', but pool \(pool) cannot be imported from it; "
                + "refusing to create a pool over it: import or inspect it by hand (zpool import -d, zdb -l)"
        case .badName(let name, let reason):
            "'\(name)' is not a dataset name homelab accepts: \(reason)"
        case .missingBase(let dataset, let snapshot, let base, let baseGuid):
            "\(dataset)@\(snapshot) is an incremental from \(dataset)@\(base) (guid \(baseGuid)), which no tier holds; "
                + "the chain cannot be restored past it: restore an older snapshot, or upload a full stream again"
        case .verification(let host, let dataset, let expected, let found):
            "\(dataset) on \(host) has guid \(found) after the receive where \(expected) was sent; "
                + "the stream is not the snapshot it claimed to be, so the target was left as it was"
        case .noSource(let host, let dataset, let tried):
            "no intact copy of \(dataset) for \(host): " + tried.joined(separator: "; ")
        case .streamRefused(let host, let dataset, let snapshot, let reason):
            "the stream of \(dataset)@\(snapshot) was refused on \(host): \(reason); the target was left as it was"
        case .notRestorable(let host, let dataset, let reason):
            "cannot restore \(dataset) on \(host): \(reason)"
        }
    }

    /// Whether trying again may help: a lost connection, a busy dataset; never bad data.
    public var isRetryable: Bool {
        switch self {
        case .command(_, _, _, let stderr): stderr.contains("dataset is busy") || stderr.contains("pool is busy")
        default: false
        }
    }

    static func said(_ stderr: String) -> String {
        let lines = stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("usage:") }
        return lines.isEmpty ? "" : ": " + lines.suffix(3).joined(separator: " ")
    }
}
