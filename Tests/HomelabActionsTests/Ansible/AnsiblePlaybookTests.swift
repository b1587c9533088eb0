import Foundation
import HomelabCore
import Testing

@testable import HomelabActions

/// ansible.playbook without a host: how ansible-playbook is started (ScriptedProcess), what its
/// JSON callback is turned into, and the hint when it is not installed.
struct AnsiblePlaybookTests {
    static let inventory: Value = .map([
        ("proxmox", .map([("host", .string("pve")), ("address", .string("10.0.0.2")), ("ssh", .map([("port", .int(2222))]))]))
    ])

    static func call(_ inputs: [String: Value] = [:]) -> ActionCall {
        ActionCall(step: "s", inputs: ["playbook": .string("site.yml"), "inventory": inventory].merging(inputs) { $1 })
    }

    static let recap = """
        {"plays": [{"play": {"name": "p"}, "tasks": [
          {"task": {"name": "Write the config"}, "hosts": {"pve": {"changed": true, "action": "copy"}}},
          {"task": {"name": "Run the tool"}, "hosts": {"pve": {"changed": false, "skipped": true, "msg": "Command would have run if not in check mode"}}},
          {"task": {"name": "Read"}, "hosts": {"pve": {"changed": false}}}]}],
         "stats": {"pve": {"ok": 2, "changed": 1, "failures": 0, "unreachable": 0, "skipped": 1}}}
        """

    @Test func theRunIsCheckedUnderTheProbeAndTheVarsAreAVault() async throws {
        let process = ScriptedProcess(script: [.exit(ProcessResult(status: 0, stdout: Self.recap))])
        let result = try await AnsiblePlaybook().probe(
            Self.call(["vars": .map([("token", .string("hunter2-secret"))]), "limit": .string("pve")]), context: ProgramContext(process))
        #expect(result == .wouldChange("ansible-playbook --check: 2 task(s) would change: 'Write the config' on pve, 'Run the tool' on pve"))
        let command = try #require(process.commands.first)
        #expect(command.arguments.first == "ansible-playbook")
        #expect(command.arguments.suffix(5) == ["--check", "--diff", "--limit", "pve", "site.yml"])
        #expect(Array(command.arguments[5...6]) == ["--vault-password-file", "/dev/stdin"])
        #expect(command.environment?["ANSIBLE_STDOUT_CALLBACK"] == "json")
        #expect(command.input.count == 64, "the vault password goes through the pipe")
        #expect(!command.arguments.joined().contains("hunter2"))
    }

    @Test func theRecapBecomesOutputs() async throws {
        let process = ScriptedProcess(script: [.exit(ProcessResult(status: 0, stdout: "[WARNING]: noise\n" + Self.recap))])
        let outputs = try await AnsiblePlaybook().run(Self.call(), context: ProgramContext(process))
        #expect(outputs["changed"] == .int(1))
        #expect(
            outputs["hosts"]
                == .map([
                    ("pve", .map([("ok", .int(2)), ("changed", .int(1)), ("failed", .int(0)), ("unreachable", .int(0)), ("skipped", .int(1))]))
                ]))
        #expect(outputs["changed-tasks"] == .list([.map([("task", .string("Write the config")), ("host", .string("pve"))])]))
        #expect(!process.commands[0].arguments.contains("--check"))
    }

    @Test func aFailedLoopItemGivesItsOwnMessage() async {
        let stdout = """
            {"plays": [{"tasks": [{"task": {"name": "Create missing datasets"}, "hosts": {"pve": {"failed": true, "msg": "One or more items failed",
              "results": [{"failed": false}, {"failed": true, "msg": "non-zero return code", "stderr": "cannot create 'tank/x': no such pool"}]}}}]}],
             "stats": {"pve": {"ok": 1, "changed": 0, "failures": 1, "unreachable": 0}}}
            """
        let failure = await ActionFailure.of {
            _ = try await AnsiblePlaybook().run(
                Self.call(), context: ProgramContext(ScriptedProcess(script: [.exit(ProcessResult(status: 2, stdout: stdout))])))
        }
        #expect(
            failure?.message
                == "playbook site.yml failed: task 'Create missing datasets' on host pve: non-zero return code: cannot create 'tank/x': no such pool")
        #expect(failure?.retryable == false)
    }

    @Test func anErrorBeforeThePlayIsToldFromStderr() async {
        let process = ScriptedProcess(script: [.exit(ProcessResult(status: 1, stdout: "", stderr: "ERROR! the playbook: site.yml could not be found\n"))])
        let failure = await ActionFailure.of { _ = try await AnsiblePlaybook().run(Self.call(), context: ProgramContext(process)) }
        #expect(failure?.message == "playbook site.yml: ansible-playbook exited with status 1: ERROR! the playbook: site.yml could not be found")
    }

    @Test func aMissingAnsiblePlaybookGetsAnInstallHint() async throws {
        let spool = SpoolDirectory.temporary()
        defer { spool.remove() }
        let failure = await ActionFailure.of {
            _ = try await AnsiblePlaybook(program: AnsibleProgram(path: "/nonexistent/ansible-playbook")).run(
                Self.call(), context: ProgramContext(SpawnedProcess(spool: spool)))
        }
        let message = try #require(failure?.message)
        #expect(message.contains("cannot run /nonexistent/ansible-playbook: No such file or directory"), "\(message)")
        #expect(message.contains("apt install ansible-core"))
    }

    @Test func theInventoryIsCheckedAtPlanTime() {
        let problems = AnsiblePlaybook().validate(["inventory": .map([("site", .string("home"))])])
        #expect(problems.map(\.message) == ["the inventory has no host Ansible can reach: give an entry (such as proxmox) an 'address' and an 'ssh' mapping"])
        #expect(AnsiblePlaybook().validate(["inventory": Self.inventory]).isEmpty)
    }

    @Test func theProgramReadsThePipe() async throws {
        // SpawnedProcess hands `input` to the program's standard input, then end-of-file.
        let spool = SpoolDirectory.temporary()
        defer { spool.remove() }
        let result = try await SpawnedProcess(spool: spool).run(ProcessCommand(["/bin/cat"], input: Array("vault password\n".utf8)))
        #expect(result.stdout == "vault password\n")
        let empty = try await SpawnedProcess(spool: spool).run(ProcessCommand(["/bin/cat"]))
        #expect(empty.stdout == "")
    }
}

extension AnsiblePlaybookTests {
    @Test func anIgnoredFailureIsNotTheOneReported() async {
        let ignored = """
            {"plays": [{"tasks": [
              {"task": {"name": "Probe something"}, "hosts": {"pve": {"failed": true, "msg": "non-zero return code"}}},
              {"task": {"name": "Write"}, "hosts": {"pve": {"changed": true}}}]}],
             "stats": {"pve": {"ok": 2, "changed": 1, "failures": 0, "ignored": 1, "unreachable": 0}}}
            """
        let outputs = try? await AnsiblePlaybook().run(
            Self.call(), context: ProgramContext(ScriptedProcess(script: [.exit(ProcessResult(status: 0, stdout: ignored))])))
        #expect(outputs?["changed"] == .int(1), "an ignored failure fails no step")

        let fatal = """
            {"plays": [{"tasks": [
              {"task": {"name": "Probe something"}, "hosts": {"pve": {"failed": true, "msg": "ignored"}}},
              {"task": {"name": "Apply"}, "hosts": {"pve": {"failed": true, "msg": "the real one"}}}]}],
             "stats": {"pve": {"ok": 1, "changed": 0, "failures": 1, "ignored": 1, "unreachable": 0}}}
            """
        let failure = await ActionFailure.of {
            _ = try await AnsiblePlaybook().run(
                Self.call(), context: ProgramContext(ScriptedProcess(script: [.exit(ProcessResult(status: 2, stdout: fatal))])))
        }
        #expect(failure?.message == "playbook site.yml failed: task 'Apply' on host pve: the real one")
    }
}
