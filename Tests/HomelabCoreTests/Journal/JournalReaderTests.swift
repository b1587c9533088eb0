import Foundation
import Testing

@testable import HomelabCore

@Suite struct JournalReaderTests {
    let lines = JournalFixtureLines.all.map { Array(($0.line + "\n").utf8) }

    @Test func aWholeJournalReadsEveryEntry() throws {
        let contents = try JournalReader.read(JournalFixtureLines.journal, file: "j.jsonl")
        #expect(contents.entries == JournalFixtureLines.all.map(\.entry))
        #expect(!contents.hadTornTail)
        #expect(contents.validLength == JournalFixtureLines.journal.count)
        #expect(contents.nextSequence == 11)
    }

    @Test func aTornLastLineIsToleratedAndCutOffAtTheLastWholeLine() throws {
        let whole = lines[0] + lines[1]
        let contents = try JournalReader.read(whole + lines[2].prefix(17), file: "j.jsonl")
        #expect(contents.entries == JournalFixtureLines.all.prefix(2).map(\.entry))
        #expect(contents.hadTornTail)
        #expect(contents.validLength == whole.count, "appending continues after the last complete line")
    }

    @Test func aDamagedMiddleLineIsReportedWithFileAndLine() {
        let bytes = lines[0] + Array("{\"seq\":2,\"at\":\n".utf8) + lines[2]
        #expect {
            try JournalReader.read(bytes, file: "/state/runs/r/journal.jsonl")
        } throws: { error in
            let error = error as? JournalError
            return error?.line == 2 && error?.description.hasPrefix("/state/runs/r/journal.jsonl:2: journal is damaged: not a JSON event") == true
        }
    }

    @Test func aMissingOrRepeatedSequenceNumberIsDamage() {
        for bytes in [lines[0] + lines[2], lines[0] + lines[0]] {
            #expect {
                try JournalReader.read(bytes, file: "j.jsonl")
            } throws: { error in
                (error as? JournalError)?.line == 2 && "\(error)".contains("a line is missing or repeated")
            }
        }
    }

    @Test func aJournalWithoutItsRunStartedIsDamage() {
        for (bytes, line) in [([UInt8](), 1), (Array(lines[0].prefix(10)), 1), (lines[2], 1)] {
            #expect {
                try JournalReader.read(bytes, file: "/state/runs/r/journal.jsonl")
            } throws: { error in
                (error as? JournalError)?.line == line
            }
        }
    }

    @Test func whatTheWriterAppendsTheReaderReadsBackAfterATornTailIsCut() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = StateDirectory.journal(in: directory)
        try Data(lines[0] + lines[2].prefix(9)).write(to: URL(fileURLWithPath: path))
        let torn = try JournalReader.read(path)
        let writer = try JournalWriter(path: path, nextSequence: torn.nextSequence, validLength: torn.validLength)
        try writer.append(.stepStarted(step: "a", attempt: 1), durable: true, at: JournalFixtureLines.time)
        let contents = try JournalReader.read(path)
        #expect(contents.entries.map(\.event) == [JournalFixtureLines.all[0].entry.event, .stepStarted(step: "a", attempt: 1)])
        #expect(!contents.hadTornTail)
    }
}
