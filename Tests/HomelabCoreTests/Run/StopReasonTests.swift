import Foundation
import Testing

@testable import HomelabCore

/// Stop reasons are typed in the engine and words in journals: every reason reads back as itself,
/// and what older journals wrote still reads as the reason it meant.
@Suite struct StopReasonTests {
    static let every: [StopReason] = [
        .deadlineExceeded, .waitingForApproval(step: "talos-vm[cp-1]"), .stepFailed(step: "zfs"), .interrupted(by: "SIGINT"),
        .interrupted(by: nil), .cancelled, .other("test: stopped between dispatch and poll"),
    ]

    @Test func everyReasonReadsBackFromItsText() {
        for reason in Self.every {
            #expect(StopReason(text: reason.text) == reason, "\(reason.text)")
        }
    }

    @Test func theWordsAreTheOnesOperatorsAlreadyRead() {
        #expect(StopReason.deadlineExceeded.text == "deadline exceeded")
        #expect(StopReason.waitingForApproval(step: "gate").text == "waiting for approval at step 'gate'")
        #expect(StopReason.stepFailed(step: "zfs").text == "step 'zfs' failed")
        #expect(StopReason.interrupted(by: "SIGTERM").text == "interrupted by SIGTERM")
        #expect(StopReason.interrupted(by: nil).text == "interrupted")
        #expect(StopReason.cancelled.text == "cancelled")
    }

    @Test func anOldJournalsReasonStillReads() throws {
        // A runInterrupted line as earlier versions wrote it: the reason as plain text.
        let line = #"{"seq":9,"event":"runInterrupted","reason":"waiting for approval at step 'gate'","at":"2026-11-27T08:47:00.250Z"}"#
        let entry = try JournalCodec.entry(JSONParser.parse(line))
        #expect(entry.event == .runInterrupted(reason: .waitingForApproval(step: "gate")))
        #expect(StopReason(text: "interrupted by SIGINT") == .interrupted(by: "SIGINT"))
    }

    @Test func wordsNoCaseMakesAreKeptAsTheyAre() {
        for text in ["SIGINT", "interrupted (SIGINT)", "interrupted by ", "step 'x' did something", ""] {
            #expect(StopReason(text: text) == .other(text))
            #expect(StopReason(text: text).text == text)
        }
    }

    @Test func everyReasonIsJournaledAsItsTextAndReadBack() throws {
        for reason in Self.every {
            let entry = JournalEntry(sequence: 4, time: JournalFixtureLines.time, event: .runInterrupted(reason: reason))
            let line = JournalCodec.line(entry, redactor: Redactor())
            #expect(String(decoding: line, as: UTF8.self).contains(#""reason":"\#(reason.text)""#))
            #expect(try JournalCodec.entry(JSONParser.parse(bytes: line)) == entry)
        }
    }
}
