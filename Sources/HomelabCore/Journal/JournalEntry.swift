import Foundation

/// One line of a journal: a sequence number, a time and an event.
public struct JournalEntry: Sendable, Equatable {
    public var sequence: Int
    public var time: Date
    public var event: JournalEvent

    public init(sequence: Int, time: Date, event: JournalEvent) {
        self.sequence = sequence
        self.time = time
        self.event = event
    }

    /// `{"seq":1,"at":"2026-11-27T08:47:00.123Z","event":"stepStarted",...}` on one line.
    public var line: String { JSONWriter.compact(value) + "\n" }

    public var value: Value {
        var pairs: [(String, Value)] = [("seq", .int(sequence)), ("at", .string(Timestamp.format(time))), ("event", .string(event.kind))]
        switch event {
        case .runStarted(let header):
            pairs += [
                ("run", .string(header.runID)), ("runbook", .string(header.runbook)), ("file", .string(header.file)),
                ("inventory", header.inventory.map(Value.string) ?? .null), ("drill", .bool(header.isDrill)),
                ("host", .string(header.host)), ("user", .string(header.user)), ("pid", .int(Int(header.pid))),
                ("params", header.params), ("fingerprints", .map(header.fingerprints.map { ($0.0, .string($0.1)) })),
            ]
        case .runResumed(let pid, let changed, let fingerprints):
            pairs += [("pid", .int(Int(pid))), ("changed", .list(changed.map(Value.string))),
                      ("fingerprints", .map(fingerprints.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))]
        case .stepStarted(let step, let attempt):
            pairs += [("step", .string(step)), ("attempt", .int(attempt))]
        case .stepSucceeded(let step, let attempt, let outputs):
            pairs += [("step", .string(step)), ("attempt", .int(attempt)), ("outputs", outputs)]
        case .stepSatisfied(let step, let reason), .stepSkipped(let step, let reason):
            pairs += [("step", .string(step)), ("reason", .string(reason))]
        case .stepFailed(let step, let attempt, let error, let retryable, let final):
            pairs += [("step", .string(step)), ("attempt", .int(attempt)), ("error", .string(error)), ("retryable", .bool(retryable)), ("final", .bool(final))]
        case .approvalGranted(let step, let by):
            pairs += [("step", .string(step)), ("by", .string(by))]
        case .markerRecorded(let step, let name, let value):
            pairs += [("step", .string(step)), ("name", .string(name)), ("value", value)]
        case .runInterrupted(let reason):
            pairs += [("reason", .string(reason))]
        case .runFinished(let outcome):
            pairs += [("outcome", .string(outcome.rawValue))]
        }
        return .map(pairs)
    }

    /// Reads an entry back; nil (with the reason) when a field is missing or of the wrong type.
    public init(value: Value) throws(JournalError.Problem) {
        func text(_ key: String) throws(JournalError.Problem) -> String {
            guard case .string(let s)? = value[key] else { throw .init("missing or invalid '\(key)'") }
            return s
        }
        func int(_ key: String) throws(JournalError.Problem) -> Int {
            guard case .int(let i)? = value[key] else { throw .init("missing or invalid '\(key)'") }
            return i
        }
        func bool(_ key: String) throws(JournalError.Problem) -> Bool {
            guard case .bool(let b)? = value[key] else { throw .init("missing or invalid '\(key)'") }
            return b
        }
        sequence = try int("seq")
        guard let time = Timestamp.parse(try text("at")) else { throw .init("invalid time 'at'") }
        self.time = time
        switch try text("event") {
        case "runStarted":
            var fingerprints: [(String, String)] = []
            if case .map(let pairs)? = value["fingerprints"] {
                fingerprints = pairs.compactMap { if case .string(let f) = $0.1 { ($0.0, f) } else { nil } }
            }
            let inventory: String? = if case .string(let path)? = value["inventory"] { path } else { nil }
            event = .runStarted(RunHeader(
                runID: try text("run"), runbook: try text("runbook"), file: try text("file"), inventory: inventory,
                isDrill: try bool("drill"), host: try text("host"), user: try text("user"), pid: Int32(try int("pid")),
                params: value["params"] ?? .map([]), fingerprints: fingerprints))
        case "runResumed":
            let changed: [String] = if case .list(let items)? = value["changed"] { items.map(\.text) } else { [] }
            var fingerprints: [String: String] = [:]
            if case .map(let pairs)? = value["fingerprints"] { for (id, print) in pairs { fingerprints[id] = print.text } }
            event = .runResumed(pid: Int32(try int("pid")), changed: changed, fingerprints: fingerprints)
        case "stepStarted": event = .stepStarted(step: try text("step"), attempt: try int("attempt"))
        case "stepSucceeded": event = .stepSucceeded(step: try text("step"), attempt: try int("attempt"), outputs: value["outputs"] ?? .map([]))
        case "stepSatisfied": event = .stepSatisfied(step: try text("step"), reason: try text("reason"))
        case "stepSkipped": event = .stepSkipped(step: try text("step"), reason: try text("reason"))
        case "stepFailed":
            event = .stepFailed(step: try text("step"), attempt: try int("attempt"), error: try text("error"), retryable: try bool("retryable"), final: try bool("final"))
        case "approvalGranted": event = .approvalGranted(step: try text("step"), by: try text("by"))
        case "markerRecorded": event = .markerRecorded(step: try text("step"), name: try text("name"), value: value["value"] ?? .null)
        case "runInterrupted": event = .runInterrupted(reason: try text("reason"))
        case "runFinished":
            guard let outcome = RunOutcome(rawValue: try text("outcome")) else { throw .init("unknown outcome") }
            event = .runFinished(outcome: outcome)
        case let other: throw .init("unknown event '\(other)'")
        }
    }
}

/// ISO 8601 in UTC with milliseconds (`2026-11-27T08:47:00.123Z`): sortable, and what `history`
/// and `report` show. Hand-made because every journal line has one and Foundation's formatter
/// is slow to create and not Sendable.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds % 1000), 3))Z"
    }

    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"), bytes[23] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for byte in bytes[range] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int32(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19), let millisecond = number(20..<23) else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + Double(millisecond) / 1000)
    }
}
