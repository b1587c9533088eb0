/// One snapshot as `zfs get -Hp` reports it. The guid is what proves two copies are the same
/// snapshot (B5); names can be reused, guids cannot.
struct SnapshotEntry: Sendable, Equatable {
    /// The short name, after the `@`.
    var name: String
    var guid: String
    /// Seconds since the epoch.
    var creation: Int64
    /// The creation txg where the host reports it: the exact order (several snapshots can share
    /// one creation second).
    var createtxg: Int64?

    /// `zfs get -Hp -o name,property,value` lines → the snapshots of `dataset`, oldest first.
    static func parse(_ output: String, of dataset: String) -> [SnapshotEntry] {
        var found: [String: SnapshotEntry] = [:]
        var order: [String] = []
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 3, fields[0].hasPrefix(dataset + "@") else { continue }
            let name = String(fields[0].dropFirst(dataset.count + 1))
            if found[name] == nil {
                found[name] = SnapshotEntry(name: name, guid: "", creation: 0)
                order.append(name)
            }
            switch fields[1] {
            case "guid": found[name]?.guid = fields[2]
            case "creation": found[name]?.creation = Int64(fields[2]) ?? 0
            case "createtxg": found[name]?.createtxg = Int64(fields[2])
            default: break
            }
        }
        return order.compactMap { found[$0] }.sorted(by: ordered)
    }

    static func ordered(_ a: SnapshotEntry, _ b: SnapshotEntry) -> Bool {
        if let x = a.createtxg, let y = b.createtxg, x != y { return x < y }
        if a.creation != b.creation { return a.creation < b.creation }
        return a.name < b.name
    }
}

extension [SnapshotEntry] {
    func named(_ name: String) -> SnapshotEntry? { first { $0.name == name } }
    func withGuid(_ guid: String) -> SnapshotEntry? { first { $0.guid == guid } }

    /// The newest of ours that `other` also holds, judged by guid.
    func newestCommon(with other: [SnapshotEntry]) -> SnapshotEntry? {
        let guids = Set(other.map(\.guid))
        return last { guids.contains($0.guid) }
    }
}
