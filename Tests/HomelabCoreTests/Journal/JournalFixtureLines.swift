import Foundation

@testable import HomelabCore

/// One journal line of every event kind, byte for byte as homelab has written them since the
/// journal's first version, with the entry each stands for. Journals on disk hold these shapes:
/// a change that breaks one of them breaks resuming every run recorded before it.
enum JournalFixtureLines {
    /// 2026-11-27T08:47:00.250Z: a quarter second is exact in binary, so the time round-trips.
    static let time = Date(timeIntervalSince1970: 1_795_769_220.25)
    static let at = "\"at\":\"2026-11-27T08:47:00.250Z\""

    static let all: [(line: String, entry: JournalEntry)] = [
        (
            #"{"seq":1,\#(at),"event":"runStarted","run":"20261127T084700Z-3f2a","runbook":"demo","file":"/srv/runbooks/demo.yaml","inventory":"/srv/inventory.yaml","drill":true,"host":"pve","user":"alice","pid":4242,"params":{"snapshot":"2026-11-01","count":3},"fingerprints":{"a":"f-a","b":"f-b"}}"#,
            entry(
                1,
                .runStarted(
                    RunHeader(
                        runID: "20261127T084700Z-3f2a", runbook: "demo", file: "/srv/runbooks/demo.yaml",
                        inventory: "/srv/inventory.yaml", isDrill: true, host: "pve", user: "alice", pid: 4242,
                        params: .map([("snapshot", .string("2026-11-01")), ("count", .int(3))]),
                        fingerprints: [("a", "f-a"), ("b", "f-b")])))
        ),
        (
            #"{"seq":2,\#(at),"event":"runResumed","pid":4343,"changed":["b"],"fingerprints":{"a":"f-a","b":"f-b2"}}"#,
            entry(2, .runResumed(pid: 4343, changed: ["b"], fingerprints: ["b": "f-b2", "a": "f-a"]))
        ),
        (
            #"{"seq":3,\#(at),"event":"stepStarted","step":"a","attempt":1}"#,
            entry(3, .stepStarted(step: "a", attempt: 1))
        ),
        (
            #"{"seq":4,\#(at),"event":"stepSucceeded","step":"a","attempt":1,"outputs":{"vmid":101,"ok":true,"tags":["x","y"],"note":null}}"#,
            entry(
                4,
                .stepSucceeded(
                    step: "a", attempt: 1,
                    outputs: .map([
                        ("vmid", .int(101)), ("ok", .bool(true)),
                        ("tags", .list([.string("x"), .string("y")])), ("note", .null),
                    ])))
        ),
        (
            #"{"seq":5,\#(at),"event":"stepSatisfied","step":"b","reason":"already in place"}"#,
            entry(5, .stepSatisfied(step: "b", reason: "already in place"))
        ),
        (
            #"{"seq":6,\#(at),"event":"stepSkipped","step":"each[c]","reason":"when is false"}"#,
            entry(6, .stepSkipped(step: "each[c]", reason: "when is false"))
        ),
        (
            #"{"seq":7,\#(at),"event":"stepFailed","step":"d","attempt":2,"error":"exit 1: \"no\"\n\tdone","retryable":true,"final":false}"#,
            entry(7, .stepFailed(step: "d", attempt: 2, error: "exit 1: \"no\"\n\tdone", retryable: true, final: false))
        ),
        (
            #"{"seq":8,\#(at),"event":"approvalGranted","step":"e","by":"alice"}"#,
            entry(8, .approvalGranted(step: "e", by: "alice"))
        ),
        (
            #"{"seq":9,\#(at),"event":"runInterrupted","reason":"SIGINT"}"#,
            entry(9, .runInterrupted(reason: .other("SIGINT")))
        ),
        (
            #"{"seq":10,\#(at),"event":"runFinished","outcome":"deadline-exceeded"}"#,
            entry(10, .runFinished(outcome: .deadlineExceeded))
        ),
    ]

    /// The lines as a journal file holds them.
    static var journal: [UInt8] { Array(all.map { $0.line + "\n" }.joined().utf8) }

    private static func entry(_ sequence: Int, _ event: JournalEvent) -> JournalEntry {
        JournalEntry(sequence: sequence, time: time, event: event)
    }
}
