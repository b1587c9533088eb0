import Testing

@testable import HomelabActions

/// The waiter follows a UPID on the host until it stops, through the real client and a scripted
/// transport; the context records pauses instead of waiting.
struct ProxmoxTaskWaiterTests {
    let id = ProxmoxTaskID(ProxmoxSamples.createUPID)
    var statusCall: String { "GET /nodes/pve/tasks/\(id.upid)/status" }
    var logCall: String { "GET /nodes/pve/tasks/\(id.upid)/log" }

    func status(_ state: String, _ exit: String? = nil) -> ScriptedProxmoxTransport.Answer {
        let exit = exit.map { #","exitstatus":"\#($0)""# } ?? ""
        return .data(#"{"upid":"\#(id.upid)","status":"\#(state)","type":"qmcreate","id":"100"\#(exit)}"#)
    }

    func waiter(_ transport: ScriptedProxmoxTransport, _ context: RecordingContext) -> ProxmoxTaskWaiter {
        ProxmoxTaskWaiter(api: ProxmoxSamples.client(transport), context: context, pollInterval: .seconds(1))
    }

    @Test func pollsUntilTheTaskEndsOK() async throws {
        let transport = ScriptedProxmoxTransport().on(statusCall, status("running"), status("running"), status("stopped", "OK"))
        let context = RecordingContext()
        let done = try await waiter(transport, context).wait(id, timeout: .seconds(60), what: "create VM 100")
        #expect(done.succeeded)
        #expect(transport.requests(statusCall).count == 3)
        #expect(context.slept == .seconds(2))
    }

    @Test func warningsCountAsSuccess() async throws {
        let transport = ScriptedProxmoxTransport().on(statusCall, status("stopped", "WARNINGS: 2"))
        let done = try await waiter(transport, RecordingContext()).wait(id, timeout: .seconds(60), what: "create VM 100")
        #expect(done.exitStatus == "WARNINGS: 2")
        #expect(transport.requests(logCall).isEmpty)
    }

    @Test func aFailedTaskCarriesTheEndOfItsLog() async throws {
        let transport = ScriptedProxmoxTransport()
            .on(statusCall, status("running"), status("stopped", "unable to create VM 100 - storage 'local-zfs' does not exist"))
            .on(
                logCall,
                .reply(
                    .init(
                        status: 200,
                        json: """
                            {"data":[{"n":1,"t":"create full clone"},{"n":2,"t":"TASK ERROR: unable to create VM 100 - storage 'local-zfs' does not exist"}],"total":2}
                            """)))
        let error = try await #require(throws: ProxmoxError.self) {
            try await waiter(transport, RecordingContext()).wait(id, timeout: .seconds(60), what: "create VM 100")
        }
        #expect(error.kind == .taskFailed("unable to create VM 100 - storage 'local-zfs' does not exist"))
        #expect(error.logTail == ["create full clone", "TASK ERROR: unable to create VM 100 - storage 'local-zfs' does not exist"])
        #expect(error.description.contains("task log:"))
        #expect(transport.requests(logCall).first?.encodedQuery == "start=0&limit=10")
    }

    @Test func aTaskStillRunningAtTheDeadlineIsReportedWithItsUPID() async throws {
        let transport = ScriptedProxmoxTransport().on(statusCall, status("running"))
        let context = RecordingContext()
        let error = try await #require(throws: ProxmoxError.self) {
            try await waiter(transport, context).wait(id, timeout: .seconds(2), what: "start VM 100")
        }
        #expect(error.kind == .deadline)
        #expect(error.message == "start VM 100 did not finish within 2s: it was still running")
        #expect(error.hint?.contains(id.upid) == true)
        #expect(context.slept == .seconds(2))
        #expect(transport.requests(statusCall).count == 3)
    }

    @Test func noSuchTaskRightAfterDispatchIsPolledAgain() async throws {
        let transport = ScriptedProxmoxTransport().on(
            statusCall,
            .error(400, "Parameter verification failed.", errors: ["upid": "no such task"]),
            .error(596, "Connection timed out"),
            status("stopped", "OK"))
        let context = RecordingContext()
        let done = try await waiter(transport, context).wait(id, timeout: .seconds(60), what: "create VM 100")
        #expect(done.succeeded)
        #expect(context.slept == .seconds(1))
        // The client itself asks again after the 596 and gets the OK: three reads, one pause.
        #expect(transport.requests(statusCall).count == 3)
    }

    @Test func otherErrorsEndTheWait() async throws {
        let transport = ScriptedProxmoxTransport().on(statusCall, .error(403, "Permission check failed (/nodes/pve, Sys.Audit)"))
        let error = try await #require(throws: ProxmoxError.self) {
            try await waiter(transport, RecordingContext()).wait(id, timeout: .seconds(60), what: "create VM 100")
        }
        #expect(error.kind == .forbidden)
        #expect(transport.requests.count == 1)
    }

    @Test func aHostThatStaysSilentPastTheDeadlineIsNamed() async throws {
        let transport = ScriptedProxmoxTransport().on(statusCall, .error(400, "Parameter verification failed.", errors: ["upid": "no such task"]))
        let error = try await #require(throws: ProxmoxError.self) {
            try await waiter(transport, RecordingContext()).wait(id, timeout: .seconds(3), what: "create VM 100")
        }
        #expect(error.kind == .deadline)
        #expect(error.message.contains("the host stopped answering about it"))
        #expect(error.message.contains("no such task"))
    }
}
