import HomelabCore

/// Every snapshot under a pool, read with one command. `zfs get -rHp` rather than
/// `zfs list -p -t snapshot`: zfs-fuse (the lab's ZFS, and older hosts) has no `list -p`, and
/// without `-p` the guid prints as `13.8E`; `get -Hp` gives exact numbers on every ZFS.
enum SnapshotListing {
    static func command(pool: String) -> String {
        "zfs get -rHp -o name,property,value guid,creation " + SSHExec.quote(pool)
    }

    /// `tank/apps@homelab-…<TAB>guid<TAB>123` lines → snapshots by dataset (`tank/apps`).
    /// Filesystems (no `@`) are skipped; a snapshot missing its guid or creation is skipped too.
    static func parse(_ output: String) -> [String: [SnapshotRecord]] {
        var guids: [String: String] = [:]
        var created: [String: Int64] = [:]
        var order: [String] = []
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3, fields[0].contains("@") else { continue }
            let name = String(fields[0])
            if guids[name] == nil && created[name] == nil { order.append(name) }
            switch fields[1] {
            case "guid": guids[name] = String(fields[2])
            case "creation": created[name] = Int64(fields[2])
            default: continue
            }
        }
        var result: [String: [SnapshotRecord]] = [:]
        for name in order {
            guard let guid = guids[name], let time = created[name], let at = name.firstIndex(of: "@") else { continue }
            let dataset = String(name[..<at])
            result[dataset, default: []].append(SnapshotRecord(name: String(name[name.index(after: at)...]), guid: guid, created: time))
        }
        return result
    }
}
