import Foundation

/// Dataset and snapshot names as homelab writes them into remote command lines: checked against
/// ZFS's own character set (no shell quoting can then go wrong), and the names derived from them
/// (the replica's, the restore's temporary one, a dated snapshot's).
enum ZFSName {
    static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/")

    /// A dataset such as `tank/apps/immich`; a pool alone when `allowPool`.
    static func dataset(_ name: String, allowPool: Bool = true) throws -> String {
        guard !name.isEmpty, name.allSatisfy({ allowed.contains($0) }) else {
            throw ZFSError.badName(name, reason: "use letters, digits and _ - . : separated by /")
        }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }), parts[0].first?.isLetter == true else {
            throw ZFSError.badName(name, reason: "it must start with a pool name and have no empty parts")
        }
        if !allowPool && parts.count < 2 { throw ZFSError.badName(name, reason: "a pool's root dataset cannot be restored or replicated on its own") }
        return name
    }

    static func snapshot(_ name: String) throws -> String {
        guard !name.isEmpty, name.allSatisfy({ allowed.contains($0) && $0 != "/" }) else {
            throw ZFSError.badName(name, reason: "a snapshot name uses letters, digits and _ - . :")
        }
        return name
    }

    static func pool(of dataset: String) -> String { String(dataset.prefix { $0 != "/" }) }

    /// `tank/apps/immich` on pool `backup` is `backup/apps/immich` (the layout fixed for all).
    static func onPool(_ dataset: String, _ pool: String) -> String {
        guard let slash = dataset.firstIndex(of: "/") else { return pool }
        return pool + dataset[slash...]
    }

    static func parent(of dataset: String) -> String? {
        dataset.lastIndex(of: "/").map { String(dataset[..<$0]) }
    }

    /// Where a restore receives before it is verified: a sibling, so the rename stays in its pool.
    static func restoreTemporary(_ dataset: String) -> String { dataset + "-homelab-partial" }

    /// `homelab-2026-12-01-0300`: the prefix and the UTC minute.
    static func dated(prefix: String, at date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { String(format: "%02d", n ?? 0) }
        return "\(prefix)\(String(format: "%04d", c.year ?? 0))-\(two(c.month))-\(two(c.day))-\(two(c.hour))\(two(c.minute))"
    }

    /// ISO 8601 UTC, for outputs.
    static func iso(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
