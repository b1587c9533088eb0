import Foundation
import Synchronization

/// Appends events to a run's journal file, one JSON line per event, each with a single
/// `write(2)` on an O_APPEND descriptor (so a crashed process leaves at most a torn last line).
///
/// Durability where it matters: an event appended with `durable: true` is fsynced before
/// `append` returns — the engine asks for that before any effect that must not be repeated, and
/// before a run is reported finished. Other events reach the kernel at once (they survive the
/// process being killed) and the disk with the next fsync. Concurrent durable appends share one
/// fsync (group commit).
public final class JournalWriter: Sendable {
    public let path: String
    private let descriptor: Int32
    private let state: Mutex<(sequence: Int, written: Int, redactor: Redactor)>
    private let synced = Mutex<Int>(0)

    /// Opens (creating if needed) the journal at `path`; `validLength` cuts off a torn last line
    /// left by a crash, so the next event starts on a line of its own.
    public init(path: String, nextSequence: Int = 1, validLength: Int? = nil, redactor: Redactor = Redactor()) throws(JournalError) {
        self.path = path
        let existed = FileManager.default.fileExists(atPath: path)
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw JournalError(file: path, line: 0, message: "cannot open journal: \(String(cString: strerror(errno)))") }
        if let validLength { _ = ftruncate(descriptor, off_t(validLength)) }
        state = Mutex((nextSequence - 1, nextSequence - 1, redactor))
        if !existed { Self.syncDirectory(of: path) }
    }

    deinit { close(descriptor) }

    /// Secrets learned during the run are redacted from every later event. Returns false when
    /// the value was known already.
    @discardableResult
    public func addSecret(_ value: String, name: String) -> Bool {
        state.withLock { $0.redactor.add(value, name: name) }
    }

    public var redactor: Redactor { state.withLock { $0.redactor } }

    @discardableResult
    public func append(_ event: JournalEvent, durable: Bool = false, at time: Date = Date()) throws(JournalError) -> JournalEntry {
        let result: Result<(JournalEntry, Int), JournalError> = state.withLock { state in
            let entry = JournalEntry(sequence: state.sequence + 1, time: time, event: event)
            let bytes = JournalCodec.line(entry, redactor: state.redactor)
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == bytes.count else {
                return .failure(
                    JournalError(file: path, line: 0, message: "cannot write journal: \(written < 0 ? String(cString: strerror(errno)) : "short write")"))
            }
            state.sequence += 1
            state.written = state.sequence
            return .success((entry, state.sequence))
        }
        let (entry, sequence) = try result.get()
        if durable { try sync(upTo: sequence) }
        return entry
    }

    /// Makes everything written so far durable.
    public func sync() throws(JournalError) {
        try sync(upTo: state.withLock { $0.written })
    }

    private func sync(upTo sequence: Int) throws(JournalError) {
        let failed: Bool = synced.withLock { synced in
            guard synced < sequence else { return false } // another fsync already covered it
            let target = state.withLock { $0.written }
            guard fsync(descriptor) == 0 else { return true }
            synced = target
            return false
        }
        if failed { throw JournalError(file: path, line: 0, message: "cannot fsync journal: \(String(cString: strerror(errno)))") }
    }

    /// A new file's name must be durable too, or the whole journal can vanish with a power cut.
    private static func syncDirectory(of path: String) {
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
        guard directory >= 0 else { return }
        fsync(directory)
        close(directory)
    }
}
