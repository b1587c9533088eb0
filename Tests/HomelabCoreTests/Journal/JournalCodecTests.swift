import Foundation
import Testing

@testable import HomelabCore

@Suite struct JournalCodecTests {
    @Test func everyEventKindHasAFixtureLine() {
        let covered = Set(JournalFixtureLines.all.map(\.entry.event.kind))
        #expect(covered == Set(JournalEvent.Kind.allCases), "add a line for the new event to JournalFixtureLines")
    }

    @Test func linesWrittenBeforeReadAsTheSameEntries() throws {
        for (line, entry) in JournalFixtureLines.all {
            #expect(try JournalCodec.entry(JSONParser.parse(line)) == entry, "\(line)")
        }
    }

    @Test func entriesAreWrittenByteForByteAsBefore() {
        for (line, entry) in JournalFixtureLines.all {
            #expect(JournalCodec.line(entry, redactor: Redactor()) == Array((line + "\n").utf8), "\(entry.event.kind)")
        }
    }

    @Test func anEntryRoundTripsThroughItsLine() throws {
        let header = RunHeader(
            runID: "r", runbook: "demo", file: "/d.yaml", inventory: nil, isDrill: false, host: "h", user: "u", pid: 1,
            params: .map([]), fingerprints: [])
        for entry in JournalFixtureLines.all.map(\.entry) + [JournalEntry(sequence: 1, time: JournalFixtureLines.time, event: .runStarted(header))] {
            let line = JournalCodec.line(entry, redactor: Redactor())
            #expect(try JournalCodec.entry(JSONParser.parse(bytes: line)) == entry)
        }
    }

    /// A resume must read the storage/ folder the run read, not the one in its own directory.
    @Test func theStorageFolderIsRecordedOnlyWhenTheRunReadOne() throws {
        var header = RunHeader(
            runID: "r", runbook: "backup", file: "/b.yaml", inventory: "/i.yaml", isDrill: false, host: "h", user: "u", pid: 1,
            params: .map([]), fingerprints: [])
        let without = String(
            decoding: JournalCodec.line(JournalEntry(sequence: 1, time: JournalFixtureLines.time, event: .runStarted(header)), redactor: Redactor()),
            as: UTF8.self)
        #expect(!without.contains("storage"))
        header.storage = "/lab/out/storage"
        let line = JournalCodec.line(JournalEntry(sequence: 1, time: JournalFixtureLines.time, event: .runStarted(header)), redactor: Redactor())
        #expect(String(decoding: line, as: UTF8.self).contains(#""storage":"/lab/out/storage""#))
        guard case .runStarted(let read) = try JournalCodec.entry(JSONParser.parse(bytes: line)).event else {
            Issue.record("not runStarted")
            return
        }
        #expect(read.storage == "/lab/out/storage")
    }

    @Test func secretsAreRedactedInTheLineOnly() {
        var redactor = Redactor()
        redactor.add("hunter2-token", name: "token")
        let entry = JournalEntry(
            sequence: 3, time: JournalFixtureLines.time,
            event: .stepFailed(step: "a", attempt: 1, error: "refused hunter2-token", retryable: false, final: true))
        let line = String(decoding: JournalCodec.line(entry, redactor: redactor), as: UTF8.self)
        #expect(line.contains(#""error":"refused <secret:token>""#))
        #expect(!line.contains("hunter2"))
    }

    @Test func optionalFieldsOfOldLinesAreReadLeniently() throws {
        let started = try JournalCodec.entry(
            JSONParser.parse(
                #"{"seq":1,"at":"2026-11-27T08:47:00.250Z","event":"runStarted","run":"r","runbook":"b","file":"f","drill":false,"host":"h","user":"u","pid":7}"#
            ))
        guard case .runStarted(let header) = started.event else {
            Issue.record("not runStarted")
            return
        }
        #expect(header.inventory == nil && header.params == .map([]) && header.fingerprints.isEmpty)
        let succeeded = try JournalCodec.entry(JSONParser.parse(#"{"seq":2,"at":"2026-11-27T08:47:00.250Z","event":"stepSucceeded","step":"a","attempt":1}"#))
        #expect(succeeded.event == .stepSucceeded(step: "a", attempt: 1, outputs: .map([])))
    }

    @Test(arguments: [
        (#"{"seq":3,"at":"2026-11-27T08:47:00.250Z","event":"stepStarted","attempt":1}"#, "missing or invalid 'step'"),
        (#"{"seq":3,"at":"2026-11-27T08:47:00.250Z","event":"stepStarted","step":"a","attempt":"1"}"#, "missing or invalid 'attempt'"),
        (#"{"seq":3,"at":"yesterday","event":"stepStarted","step":"a","attempt":1}"#, "invalid time 'at'"),
        (#"{"seq":3,"at":"2026-11-27T08:47:00.250Z","event":"markerRecorded","step":"a"}"#, "unknown event 'markerRecorded'"),
        (#"{"seq":3,"at":"2026-11-27T08:47:00.250Z","event":"runFinished","outcome":"fine"}"#, "unknown outcome"),
    ])
    func aBadLineNamesWhatIsWrong(line: String, problem: String) throws {
        #expect(throws: Never.self) { try JSONParser.parse(line) }
        do {
            _ = try JournalCodec.entry(JSONParser.parse(line))
            Issue.record("read: \(line)")
        } catch let error as JournalError.Problem {
            #expect(error.message == problem)
        }
    }
}
