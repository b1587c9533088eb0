import Foundation
import Testing

/// What the command line says when the operator (or CI) gets something wrong: the real problem
/// in plain words, a suggestion where one is close, and the exit code the README promises
/// (1 diagnostics, 2 usage).
@Suite struct CommandLineMistakeTests {
    let demo = "runbooks/examples/demo-recovery.yaml"

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "homelab-cli-mistake-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    // MARK: validate finds nothing (item 7)

    @Test func validateOfAnEmptyDirectoryFailsSayingNoRunbookWasFound() throws {
        let directory = try temporaryDirectory()
        let result = try CommandRunner.run(["validate", directory])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("valid"))
        #expect(
            result.stderr.contains(
                "\(directory): error: no runbook found (a runbook is a YAML file with a top-level 'runbook:' key); it has no .yaml or .yml files"))
    }

    @Test func validateNamesTheSkippedFilesAndWhy() throws {
        let directory = try temporaryDirectory()
        try "runbok: x\nsteps:\n  - id: a\n    uses: exec\n".write(toFile: directory + "/typo.yaml", atomically: true, encoding: .utf8)
        try "hosts: [a, b]\n".write(toFile: directory + "/hosts.yaml", atomically: true, encoding: .utf8)
        let result = try CommandRunner.run(["validate", directory])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("0 runbooks valid"))
        #expect(result.stderr.contains("\(directory)/typo.yaml:1:1: error: top-level key 'runbok' looks like a misspelled 'runbook:'; the file was skipped"))
        #expect(result.stderr.contains("\(directory)/hosts.yaml:1:1: note: skipped: no top-level 'runbook:' key"))
        #expect(
            result.stderr.contains("\(directory): error: no runbook found (a runbook is a YAML file with a top-level 'runbook:' key); 2 YAML files skipped"))
    }

    // MARK: unknown commands (item 14)

    @Test func aMistypedCommandIsNamedWithTheNearestOne() throws {
        let result = try CommandRunner.run(["rnu"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown command 'rnu' (did you mean 'run'?)"))
    }

    @Test(arguments: [["help", "nosuch"], ["nosuch", "--help"], ["help", "planx"]])
    func helpForAnUnknownCommandIsAUsageError(_ arguments: [String]) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty, "not the top-level help")
        #expect(result.stderr.contains("unknown command '\(arguments[0] == "help" ? arguments[1] : arguments[0])'"))
    }

    @Test func helpOfAKnownCommandStillWorks() throws {
        #expect(try CommandRunner.run(["help", "validate"]).status == 0)
        #expect(try CommandRunner.run(["help"]).status == 0)
    }

    // MARK: exit codes and params (item 15)

    @Test func theTopLevelHelpListsEveryExitCode() throws {
        let help = try CommandRunner.run(["--help"]).stdout
        #expect(help.contains("3 the run stopped before its end"))
    }

    @Test(arguments: [["--param", "nosuch=3"], ["--param", "confirm=slow"], ["--param", "etcd-snapshot=a", "--param", "etcd-snapshot=b"]])
    func paramMistakesAreUsageErrors(_ params: [String]) throws {
        let result = try CommandRunner.run(["plan", demo] + params)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
    }

    @Test func aRepeatedParamIsRefusedNotSilentlyOverwritten() throws {
        let result = try CommandRunner.run(["plan", demo, "--param", "etcd-snapshot=a", "--param", "etcd-snapshot=b"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--param etcd-snapshot is given twice ('a' and 'b'); give it once"))
    }

    // MARK: the real problem (item 16)

    @Test func planOfADirectorySaysItIsADirectory() throws {
        let result = try CommandRunner.run(["plan", "runbooks"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("runbooks:1:1: error: cannot read file: it is a directory"))
        #expect(!result.stderr.contains("file is empty"))
    }

    @Test func resumeOfAnUnknownRunSaysThereIsNoSuchRun() throws {
        let runs = try RunJournals()
        try runs.failedRun("20261120T084700Z-3f2a")
        let result = try CommandRunner.run(["resume", "20261120T084700Z-3f2b", "--state-dir", runs.state.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no run '20261120T084700Z-3f2b' in \(runs.state.path) (did you mean '20261120T084700Z-3f2a'?)"))
        #expect(!result.stderr.contains("cannot read journal"))
    }

    @Test func reportToAMissingDirectoryNamesTheDirectory() throws {
        let runs = try RunJournals()
        try runs.failedRun("20261120T084700Z-3f2a")
        let result = try CommandRunner.run(["report", "20261120T084700Z-3f2a", "-o", "/nonexistent/x.md", "--state-dir", runs.state.path])
        #expect(result.status == 1)
        #expect(result.stderr == "error: cannot write /nonexistent/x.md: the directory /nonexistent does not exist\n")
    }

    // MARK: plan --probe and --json (item 19)

    @Test func failedProbesFailThePlan() throws {
        let result = try CommandRunner.run(["plan", "runbooks/examples/talos-vms.yaml", "--probe"], environment: ["PROXMOX_TOKEN": ""])
        #expect(result.status == 1)
        #expect(result.stdout.contains("11 probes failed"))
        #expect(result.stderr.contains("error: 11 of 11 probes failed"))
    }

    @Test func planJSONWithErrorsPrintsAJSONErrorObject() throws {
        let result = try CommandRunner.run(["plan", "Tests/HomelabCoreTests/Fixtures/broken/unknown-step-key.yaml", "--json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["errors"] as? Int == 1)
        let first = try #require((object["diagnostics"] as? [[String: Any]])?.first)
        #expect((first["message"] as? String)?.contains("unknown key 'neds'") == true)
    }

    @Test func planJSONWithACommandLineMistakeIsJSONToo() throws {
        let result = try CommandRunner.run(["plan", demo, "--json", "--param", "nosuch=3"])
        #expect(result.status == 2)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((object["diagnostics"] as? [[String: Any]])?.first?["file"] as? String == "command line")
    }

    // MARK: reading the plan (item 24)

    @Test func everyHelpExampleFitsOnOneLine() throws {
        let help = try CommandRunner.run(["plan", "--help"]).stdout
        #expect(help.contains("homelab plan RUNBOOK --inventory lab/out/inventory.yaml --probe\n"))
        // ArgumentParser writes the usage line whole; everything else is wrapped to the terminal.
        for line in help.split(separator: "\n") where !line.hasPrefix("USAGE:") {
            #expect(line.count <= 80, "wider than a terminal: \(line)")
        }
    }

    @Test func aLargeInputSharedByManyInstancesIsShownOnce() throws {
        let result = try CommandRunner.run(["plan", "runbooks/examples/talos-vms.yaml"])
        #expect(result.status == 0)
        let full = result.stdout.components(separatedBy: "\"api\":\"https://192.168.10.2:8006/api2/json\"").count - 1
        #expect(full == 1)
        #expect(result.stdout.contains("proxmox: (the same as for preflight)"))
    }
}
