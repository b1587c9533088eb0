/// The one place where journal entries become JSON and JSON becomes entries again. Both
/// directions switch over every event and name keys through `JournalField`, so the compiler
/// catches an event or a key that one side forgets.
///
/// Shapes are those of journals already on disk (see `JournalCodecTests`): fields in the order
/// written, `{"seq":1,"at":"2026-11-27T08:47:00.123Z","event":"stepStarted","step":"a","attempt":1}`.
enum JournalCodec {
    /// One line, newline included, as bytes for a single write(2); secrets redacted.
    static func line(_ entry: JournalEntry, redactor: Redactor) -> [UInt8] {
        JSONWriter.compactBytes(redactor.redact(value(entry)), newline: true)
    }

    static func value(_ entry: JournalEntry) -> Value {
        var pairs: [(String, Value)] = [
            field(.seq, .int(entry.sequence)), field(.at, .string(Timestamp.format(entry.time))),
            field(.event, .string(entry.event.kind.rawValue)),
        ]
        switch entry.event {
        case .runStarted(let header):
            pairs += [
                field(.run, .string(header.runID)), field(.runbook, .string(header.runbook)), field(.file, .string(header.file)),
                field(.inventory, header.inventory.map(Value.string) ?? .null), field(.drill, .bool(header.isDrill)),
                field(.host, .string(header.host)), field(.user, .string(header.user)), field(.pid, .int(Int(header.pid))),
                field(.params, header.params), field(.fingerprints, .map(header.fingerprints.map { ($0.0, .string($0.1)) })),
            ]
            // Only when recorded, so a run that reads no storage/ writes the line it always did.
            if let storage = header.storage { pairs.append(field(.storage, .string(storage))) }
        case .runResumed(let pid, let changed, let fingerprints):
            pairs += [
                field(.pid, .int(Int(pid))), field(.changed, .list(changed.map(Value.string))),
                field(.fingerprints, .map(fingerprints.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ]
        case .stepStarted(let step, let attempt):
            pairs += [field(.step, .string(step)), field(.attempt, .int(attempt))]
        case .stepSucceeded(let step, let attempt, let outputs):
            pairs += [field(.step, .string(step)), field(.attempt, .int(attempt)), field(.outputs, outputs)]
        case .stepSatisfied(let step, let reason), .stepSkipped(let step, let reason):
            pairs += [field(.step, .string(step)), field(.reason, .string(reason))]
        case .stepFailed(let step, let attempt, let error, let retryable, let final):
            pairs += [
                field(.step, .string(step)), field(.attempt, .int(attempt)), field(.error, .string(error)),
                field(.retryable, .bool(retryable)), field(.final, .bool(final)),
            ]
        case .approvalGranted(let step, let by):
            pairs += [field(.step, .string(step)), field(.by, .string(by))]
        case .runInterrupted(let reason):
            pairs += [field(.reason, .string(reason.text))]
        case .runFinished(let outcome):
            pairs += [field(.outcome, .string(outcome.rawValue))]
        }
        return .map(pairs)
    }

    /// Reads an entry back; the problem names the field that is missing or of the wrong type.
    static func entry(_ value: Value) throws(JournalError.Problem) -> JournalEntry {
        let line = JournalLineReader(value)
        let sequence = try line.int(.seq)
        guard let time = Timestamp.parse(try line.text(.at)) else { throw .init("invalid time 'at'") }
        let name = try line.text(.event)
        guard let kind = JournalEvent.Kind(rawValue: name) else { throw .init("unknown event '\(name)'") }
        let event: JournalEvent
        switch kind {
        case .runStarted:
            // Optional fields read leniently, as they always were: a journal that lacks them still
            // shows and resumes.
            let fingerprints: [(String, String)] = line.map(.fingerprints).compactMap { if case .string(let f) = $0.1 { ($0.0, f) } else { nil } }
            let inventory: String? = if case .string(let path)? = line[.inventory] { path } else { nil }
            let storage: String? = if case .string(let path)? = line[.storage] { path } else { nil }
            event = .runStarted(
                RunHeader(
                    runID: try line.text(.run), runbook: try line.text(.runbook), file: try line.text(.file), inventory: inventory,
                    isDrill: try line.bool(.drill), host: try line.text(.host), user: try line.text(.user), pid: Int32(try line.int(.pid)),
                    params: line[.params] ?? .map([]), fingerprints: fingerprints,
                    storage: storage))
        case .runResumed:
            let changed: [String] = if case .list(let items)? = line[.changed] { items.map(\.text) } else { [] }
            var fingerprints: [String: String] = [:]
            for (id, print) in line.map(.fingerprints) { fingerprints[id] = print.text }
            event = .runResumed(pid: Int32(try line.int(.pid)), changed: changed, fingerprints: fingerprints)
        case .stepStarted:
            event = .stepStarted(step: try line.text(.step), attempt: try line.int(.attempt))
        case .stepSucceeded:
            event = .stepSucceeded(step: try line.text(.step), attempt: try line.int(.attempt), outputs: line[.outputs] ?? .map([]))
        case .stepSatisfied:
            event = .stepSatisfied(step: try line.text(.step), reason: try line.text(.reason))
        case .stepSkipped:
            event = .stepSkipped(step: try line.text(.step), reason: try line.text(.reason))
        case .stepFailed:
            event = .stepFailed(
                step: try line.text(.step), attempt: try line.int(.attempt), error: try line.text(.error),
                retryable: try line.bool(.retryable), final: try line.bool(.final))
        case .approvalGranted:
            event = .approvalGranted(step: try line.text(.step), by: try line.text(.by))
        case .runInterrupted:
            event = .runInterrupted(reason: StopReason(text: try line.text(.reason)))
        case .runFinished:
            guard let outcome = RunOutcome(rawValue: try line.text(.outcome)) else { throw .init("unknown outcome") }
            event = .runFinished(outcome: outcome)
        }
        return JournalEntry(sequence: sequence, time: time, event: event)
    }

    private static func field(_ key: JournalField, _ value: Value) -> (String, Value) {
        (key.rawValue, value)
    }
}
