import Foundation
import HomelabActions
import HomelabCore
import Testing

/// The runbook's `notify:` section end to end: decoded, validated, planned, and sent by the
/// engine through the real `notify` action (on a web double that records each push).
struct RunbookNotifyTests {
    struct Run {
        var finished: RunSession.Finished?
        var failure: RunSession.Failure?
        var pushes: [WebRequest]
        var updates: [RunUpdate]
    }

    static func run(_ yaml: String, web: ScriptedWeb, approver: any Approver = AssumeYes()) async throws -> Run {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "tk_secret_value\n".write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        let file = directory + "/runbook.yaml"
        try yaml.replacingOccurrences(of: "TOKEN_FILE", with: directory + "/token").write(toFile: file, atomically: true, encoding: .utf8)
        let registry = ActionCatalog.standard(Integrations().with(WebIntegration.self, web))
        let collector = RecordingObserver()
        let request = RunSession.Request(runbook: file, state: StateDirectory(path: directory + "/state"), registry: registry)
        do {
            let finished = try await RunSession.start(request, control: RunControl()) { journal in
                RunEnvironment(registry: registry, journal: journal, observer: collector, approver: approver)
            }
            return Run(finished: finished, pushes: web.requests, updates: collector.updates)
        } catch {
            return Run(failure: error, pushes: web.requests, updates: collector.updates)
        }
    }

    static let header = """
        runbook: nightly
        secrets:
          ntfy: { file: TOKEN_FILE }
        notify:
          with:
            url: https://push.lab/dr
            token: ${secrets.ntfy}
            priority: high

        """

    @Test func aFailingRunTellsThePhoneWhenItStartsWhatFailedAndHowItEnded() async throws {
        let web = ScriptedWeb([.response(WebResponse(status: 200, body: Array(#"{"id":"x"}"#.utf8)))])
        let run = try await Self.run(
            Self.header + """
                steps:
                  - id: check
                    uses: fail
                    with: { message: "pool tank is DEGRADED (token tk_secret_value)" }
                """, web: web)
        #expect(run.finished?.result.outcome == .failed)
        let titles = run.pushes.map { Dictionary($0.headers, uniquingKeysWith: { a, _ in a })["Title"] ?? "" }
        #expect(titles.count == 3)
        #expect(titles.contains("nightly: run started"))
        #expect(titles.contains("nightly: step check failed"))
        #expect(titles.last == "nightly: run failed")
        let failure = try #require(run.pushes.first { String(decoding: $0.body, as: UTF8.self).contains("DEGRADED") })
        let text = String(decoding: failure.body, as: UTF8.self)
        #expect(!text.contains("tk_secret_value"), "the secret reached the notification: \(text)")
        #expect(text.contains("<secret:ntfy>"))
        #expect(failure.headers.contains { $0.0 == "Authorization" && $0.1 == "Bearer tk_secret_value" })
        #expect(failure.headers.contains { $0.0 == "Priority" && $0.1 == "4" })
    }

    @Test func notificationsAreSentOneAfterAnotherInTheOrderTheyHappened() async throws {
        let ok = WebResponse(status: 200, body: Array(#"{"id":"x"}"#.utf8))
        let web = ScriptedWeb([.slow(.milliseconds(300), ok), .response(ok)])
        let run = try await Self.run(
            Self.header + """
                steps:
                  - { id: check, uses: fail, with: { message: "pool tank is DEGRADED" } }
                """, web: web)
        #expect(run.finished?.result.outcome == .failed)
        let titles = run.pushes.map { Dictionary($0.headers, uniquingKeysWith: { a, _ in a })["Title"] ?? "" }
        #expect(titles == ["nightly: run started", "nightly: step check failed", "nightly: run failed"])
        #expect(web.maxInFlight == 1, "a slow answer to the first push must hold the next ones back")
    }

    @Test func onlyTheChosenEventsAreSent() async throws {
        let web = ScriptedWeb([.response(WebResponse(status: 200))])
        let run = try await Self.run(
            """
            runbook: quiet
            notify:
              on: [finish]
              with: { url: "https://push.lab/dr" }
            steps:
              - id: a
                uses: wait
                with: { duration: 1ms }
            """, web: web)
        #expect(run.finished?.result.outcome == .succeeded)
        #expect(run.pushes.count == 1)
        #expect(String(decoding: run.pushes[0].body, as: UTF8.self).hasPrefix("Run \(run.finished?.runID ?? "?"): 1 succeeded."))
    }

    @Test func anApprovalGateIsAnnounced() async throws {
        let web = ScriptedWeb([.response(WebResponse(status: 200))])
        let run = try await Self.run(
            """
            runbook: gated
            notify:
              on: [approval]
              with: { url: "https://push.lab/dr" }
            steps:
              - id: confirm
                uses: approval
                with: { message: "Restore tank from the backup disk?" }
            """, web: web, approver: NobodyToAsk())
        #expect(run.finished?.result.outcome == .interrupted)
        #expect(run.pushes.count == 1)
        let body = String(decoding: run.pushes.first?.body ?? [], as: UTF8.self)
        #expect(body.hasPrefix("Restore tank from the backup disk?"))
        #expect(body.contains("homelab resume"))
    }

    @Test func withYesNobodyIsWokenForAnApproval() async throws {
        let web = ScriptedWeb([.response(WebResponse(status: 200))])
        let run = try await Self.run(
            """
            runbook: gated
            notify:
              on: [approval]
              with: { url: "https://push.lab/dr" }
            steps:
              - id: confirm
                uses: approval
                with: { message: "Restore tank from the backup disk?" }
            """, web: web, approver: AssumeYes())
        #expect(run.finished?.result.outcome == .succeeded)
        #expect(run.pushes.isEmpty)
    }

    @Test func anUnreachablePushServerIsANoticeNotAFailure() async throws {
        let web = ScriptedWeb([.failure(TransportDown())])
        let run = try await Self.run(
            """
            runbook: offline
            notify:
              with: { url: "https://push.lab/dr" }
            steps:
              - id: a
                uses: wait
                with: { duration: 1ms }
            """, web: web)
        #expect(run.finished?.result.outcome == .succeeded)
        let notices = run.updates.compactMap { update -> String? in
            if case .runNotice(let message) = update { return message }
            return nil
        }
        #expect(notices.count == 2)
        #expect(notices.contains("the 'start' notification was not sent: connection refused"))
    }

    @Test func mistakesInNotifyAreReportedWithTheirPlace() async throws {
        let web = ScriptedWeb([.response(WebResponse(status: 200))])
        let run = try await Self.run(
            """
            runbook: wrong
            notify:
              on: [start, failed]
              with:
                url: https://push.lab/dr
                message: hello
                token: ${secrets.nope}
                priorty: 3
                title: ${steps.a.outputs.x}
            steps:
              - id: a
                uses: wait
                with: { duration: 1ms }
            """, web: web)
        guard case .invalid(let diagnostics)? = run.failure as? RunSession.Failure else {
            Issue.record("expected diagnostics, got \(String(describing: run.failure))")
            return
        }
        let lines = diagnostics.sorted.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        #expect(lines.contains("3:15: unknown event 'failed' in 'on' of 'notify' (did you mean 'failure'?); events are: start, failure, approval, finish"))
        #expect(lines.contains("6:5: 'message' of 'notify' is written by homelab for each event; leave it out"))
        #expect(lines.contains { $0.hasPrefix("8:5: unknown input 'priorty' for action 'notify' (did you mean 'priority'?)") })
        #expect(lines.contains { $0.hasPrefix("7:") && $0.contains("nope") })
        #expect(lines.contains { $0.hasPrefix("9:") && $0.contains("cannot read outputs of step 'a'") })
        #expect(run.pushes.isEmpty)
    }
}
