import Foundation

/// Run ids sort by start time: `20261127T084700Z-3f2a`.
public enum RunID {
    public static func make(at date: Date = Date()) -> String {
        let stamp = Timestamp.format(date) // 2026-11-27T08:47:00.123Z
        let compact = stamp.prefix(19).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        return compact + "Z-" + String(format: "%04x", UInt16.random(in: 0...UInt16.max))
    }
}
