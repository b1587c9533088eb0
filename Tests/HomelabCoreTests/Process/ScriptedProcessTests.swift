import HomelabCore
import Testing

/// The LocalProcess double: it records what would have run and answers from its script.
struct ScriptedProcessTests {
    @Test func answersInOrderAndRecordsEveryCommand() async throws {
        let processes = ScriptedProcess(script: [.exit(ProcessResult(status: 0, stdout: "ok\n")), .exit(ProcessResult(status: 2, stderr: "failed"))])
        let first = ProcessCommand(["ansible-playbook", "site.yml"], environment: ["ANSIBLE_STDOUT_CALLBACK": "json"], directory: "/lab")
        #expect(try await processes.run(first) == ProcessResult(status: 0, stdout: "ok\n"))
        #expect(try await processes.run(ProcessCommand(["ansible-playbook", "x.yml"])).status == 2)
        #expect(try await processes.run(ProcessCommand(["ansible-playbook", "y.yml"])).status == 2, "the last answer repeats")
        #expect(processes.commands.map(\.arguments) == [["ansible-playbook", "site.yml"], ["ansible-playbook", "x.yml"], ["ansible-playbook", "y.yml"]])
        #expect(processes.commands.first == first)
    }

    @Test func aResponderAnswersByCommand() async throws {
        struct Missing: Error, Equatable {}
        let processes = ScriptedProcess { command in
            command.arguments.first == "ansible-playbook" ? .exit(ProcessResult(status: 0)) : .failure(Missing())
        }
        #expect(try await processes.run(ProcessCommand(["ansible-playbook"])).status == 0)
        await #expect(throws: Missing()) { try await processes.run(ProcessCommand(["talosctl"])) }
    }

    @Test func aProgramThatRunsOnIsStoppedByCancellation() async throws {
        let processes = ScriptedProcess(script: [.untilCancelled])
        let run = Task { try await processes.run(ProcessCommand(["sleep", "infinity"])) }
        // Cancel only once the run has started (its command is recorded), without a timer.
        while processes.commands.isEmpty { await Task.yield() }
        run.cancel()
        await #expect(throws: ProcessStopped.self) { try await run.value }
    }
}
