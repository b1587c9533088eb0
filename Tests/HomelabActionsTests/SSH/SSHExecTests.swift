import HomelabCore
import Testing

@testable import HomelabActions

struct SSHExecTests {
    @Test func aListCommandIsQuotedForTheRemoteShell() async throws {
        let shell = ScriptedShell(RemoteResult(exitStatus: 0, stdout: "ok\n", stderr: ""))
        let outputs = try await SSHExec(shell: shell).run(
            ActionCall(
                step: "s",
                inputs: [
                    "host": .string("h"), "command": .list([.string("zfs"), .string("list"), .string("tank/my data"), .string("it's")]),
                    "env": .map([("POOL", .string("tank"))]), "stdin": .string("input"),
                ]), context: RecordingContext())
        #expect(outputs["stdout"] == .string("ok"))
        let (command, target) = try #require(shell.calls.first)
        #expect(command.command == "zfs list 'tank/my data' 'it'\\''s'")
        #expect(command.environment.map(\.0) == ["POOL"])
        #expect(command.stdin == Array("input".utf8))
        #expect(target.address == "h")
    }

    @Test func aFailingCommandSaysWhereAndWhy() async {
        let shell = ScriptedShell(RemoteResult(exitStatus: 1, stdout: "", stderr: "line 1\ncannot open 'tank': no such pool\n"))
        await #expect {
            try await SSHExec(shell: shell).run(
                ActionCall(step: "s", inputs: ["host": .string("h"), "command": .string("zpool status tank")]), context: RecordingContext())
        } throws: { error in
            "\(error)" == "command on root@h:22 exited with status 1: line 1 | cannot open 'tank': no such pool"
        }
    }

    @Test func aSignalIsReportedAsSuch() async {
        let shell = ScriptedShell(RemoteResult(exitStatus: -1, signal: "TERM", stdout: "", stderr: ""))
        await #expect {
            try await SSHExec(shell: shell).run(ActionCall(step: "s", inputs: ["host": .string("h"), "command": .string("x")]), context: RecordingContext())
        } throws: { "\($0)".contains("killed by signal TERM") }
    }

    @Test func theUnlessCheckDecidesTheProbe() async throws {
        let passing = ScriptedShell(RemoteResult(exitStatus: 0, stdout: "", stderr: ""))
        let failing = ScriptedShell(RemoteResult(exitStatus: 1, stdout: "", stderr: ""))
        let call = ActionCall(step: "s", inputs: ["host": .string("h"), "command": .string("x"), "unless": .string("test -e /done")])
        #expect(try await SSHExec(shell: passing).probe(call, context: RecordingContext()) == .satisfied("'unless' check passed on h"))
        #expect(try await SSHExec(shell: failing).probe(call, context: RecordingContext()) == .notSatisfied)
        #expect(passing.calls.first?.0.command == "test -e /done")
        let noCheck = ScriptedShell(RemoteResult(exitStatus: 0, stdout: "", stderr: ""))
        #expect(
            try await SSHExec(shell: noCheck).probe(
                ActionCall(step: "s", inputs: ["host": .string("h"), "command": .string("x")]), context: RecordingContext()) == .notSatisfied)
        #expect(noCheck.calls.isEmpty)
    }
}
