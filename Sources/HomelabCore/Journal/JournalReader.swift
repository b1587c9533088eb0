import Foundation

/// Reads a journal back. A torn last line (the process died mid-write) is tolerated and
/// reported as such; any other damage is an error naming the line.
public struct JournalReader {
    public struct Contents: Sendable {
        public var entries: [JournalEntry]
        /// Bytes up to the end of the last complete line: where appending may continue.
        public var validLength: Int
        public var hadTornTail: Bool
        public var nextSequence: Int { (entries.last?.sequence ?? 0) + 1 }
    }

    public static func read(_ path: String) throws(JournalError) -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JournalError(file: path, line: 0, message: "cannot read journal")
        }
        return try read(Array(data), file: path)
    }

    public static func read(_ bytes: [UInt8], file: String) throws(JournalError) -> Contents {
        let contents = try entries(bytes, file: file)
        // A run directory appears with its runStarted already durable (RunDirectoryMaker), so no
        // crash leaves a journal without it: an empty one was damaged from outside (a full disk,
        // a restore, a truncation). Nothing says what the run was; it cannot be shown or resumed.
        guard !contents.entries.isEmpty else {
            let what = bytes.isEmpty ? "it is empty (0 bytes)" : "its first line is incomplete"
            let directory = (file as NSString).deletingLastPathComponent
            throw JournalError(
                file: file, line: 1,
                message: "\(what), so the run's first event (runStarted) is missing and the run cannot be shown or resumed; "
                    + "restore the journal from a backup, or move \(directory) out of the state directory and start the runbook again "
                    + "with 'homelab run RUNBOOK' (steps already done are found by their probes)")
        }
        return contents
    }

    private static func entries(_ bytes: [UInt8], file: String) throws(JournalError) -> Contents {
        var entries: [JournalEntry] = []
        var start = 0
        var lineNumber = 0
        var validLength = 0
        while start < bytes.count {
            lineNumber += 1
            guard let newline = bytes[start...].firstIndex(of: 0x0A) else {
                // No newline: the last write was cut short. Everything before it stands.
                return Contents(entries: entries, validLength: validLength, hadTornTail: true)
            }
            let line = bytes[start..<newline]
            start = newline + 1
            let entry: JournalEntry
            do {
                entry = try JournalCodec.entry(try JSONParser.parse(bytes: Array(line)))
            } catch let failure as JSONParser.Failure {
                throw JournalError(file: file, line: lineNumber, message: "not a JSON event (\(failure))")
            } catch let problem as JournalError.Problem {
                throw JournalError(file: file, line: lineNumber, message: problem.message)
            } catch {
                throw JournalError(file: file, line: lineNumber, message: "\(error)")
            }
            let expected = (entries.last?.sequence ?? 0) + 1
            guard entry.sequence == expected else {
                throw JournalError(
                    file: file, line: lineNumber, message: "sequence \(entry.sequence) where \(expected) was expected (a line is missing or repeated)")
            }
            if entries.isEmpty, case .runStarted = entry.event {
            } else if entries.isEmpty {
                throw JournalError(file: file, line: lineNumber, message: "the first event must be runStarted")
            }
            entries.append(entry)
            validLength = start
        }
        return Contents(entries: entries, validLength: validLength, hadTornTail: false)
    }
}
