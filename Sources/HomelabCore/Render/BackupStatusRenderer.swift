import Foundation

/// `homelab backup status` as a table for the operator and as JSON for scripts.
public enum BackupStatusRenderer {
    public static func text(_ status: BackupStatus, style: TextStyle = .plain) -> String {
        guard !status.rows.isEmpty else { return "no dataset is kept in the tiers asked for (storage/datasets.yaml tags)\n" }
        let header = ["DATASET", "TIER", "NEWEST", "AGE", "MAX-AGE", "KEPT", "STATE"]
        let cells = status.rows.map { row in
            [
                row.dataset, row.tier.rawValue, row.newest?.name ?? "-", row.ageSeconds.map(age) ?? "-", DurationText.format(row.retention.maxAge),
                "\(row.count)/\(row.retention.keep)", row.state.rawValue,
            ]
        }
        let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
        func line(_ values: [String], paint: (String) -> String = { $0 }) -> String {
            let padded = values.enumerated().map { index, value in
                index == values.count - 1 ? paint(value) : value.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            return padded.joined(separator: "  ")
        }
        var out = style.bold(line(header)) + "\n"
        for (row, values) in zip(status.rows, cells) {
            out += line(values, paint: paint(row.state, style)) + "\n"
        }
        // One line per distinct reason: an unreachable host would otherwise repeat on every row.
        var problems: [String] = []
        for problem in status.rows.compactMap(\.problem) where !problems.contains(problem) { problems.append(problem) }
        for problem in problems { out += style.yellow("unknown: ") + problem + "\n" }
        out += summary(status, style) + "\n"
        return out
    }

    public static func json(_ status: BackupStatus) -> Value {
        .map([
            ("checked_at", .string(iso(status.checkedAt))),
            ("behind", .bool(status.isBehind)),
            ("unknown", .bool(status.hasUnknown)),
            (
                "tiers",
                .list(
                    status.rows.map { row in
                        var fields: [(String, Value)] = [
                            ("dataset", .string(row.dataset)), ("tier", .string(row.tier.rawValue)), ("location", .string(row.location)),
                            ("state", .string(row.state.rawValue)), ("max_age", .string(DurationText.format(row.retention.maxAge))),
                            ("max_age_seconds", .int(Int(row.retention.maxAge.components.seconds))), ("keep", .int(row.retention.keep)),
                            ("count", .int(row.count)),
                        ]
                        if let newest = row.newest {
                            fields += [
                                ("snapshot", .string(newest.name)), ("guid", .string(newest.guid)), ("created", .string(iso(newest.created))),
                                ("age_seconds", .int(Int(row.ageSeconds ?? 0))),
                            ]
                        }
                        if let problem = row.problem { fields.append(("problem", .string(problem))) }
                        return .map(fields)
                    })
            ),
        ])
    }

    /// `45s`, `12m`, `3h05m`, `2d04h`: two units are enough to judge a backup's age.
    public static func age(_ seconds: Int64) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86_400 { return "\(seconds / 3600)h\(pad(seconds / 60 % 60))m" }
        return "\(seconds / 86_400)d\(pad(seconds / 3600 % 24))h"
    }

    private static func summary(_ status: BackupStatus, _ style: TextStyle) -> String {
        let count = status.rows.count
        let behind = status.rows.filter { $0.state == .behind || $0.state == .missing }.count
        let unknown = status.rows.filter { $0.state == .unknown }.count
        var parts: [String] = []
        if behind > 0 { parts.append(style.red("\(behind) of \(count) behind their policy")) }
        if unknown > 0 { parts.append(style.yellow("\(unknown) of \(count) could not be read")) }
        return parts.isEmpty ? style.green("all \(count) within their policy") : parts.joined(separator: ", ")
    }

    private static func paint(_ state: BackupStatus.State, _ style: TextStyle) -> (String) -> String {
        switch state {
        case .fresh: style.green
        case .behind, .missing: style.red
        case .unknown: style.yellow
        }
    }

    private static func iso(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(Date.ISO8601FormatStyle())
    }

    private static func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
