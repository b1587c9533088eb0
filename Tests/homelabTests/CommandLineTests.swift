import Foundation
import Testing

/// The command line as a contract: exit codes, help, output formats.
@Suite struct CommandLineTests {
    let demo = "runbooks/examples/demo-recovery.yaml"
    let broken = "Tests/HomelabCoreTests/Fixtures/broken/unknown-step-key.yaml"

    @Test func version() throws {
        let result = try CommandRunner.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test(arguments: [["--help"], ["plan", "--help"], ["validate", "--help"], ["actions", "--help"], ["help", "plan"]])
    func helpTeachesWithExamples(_ arguments: [String]) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples:"))
        #expect(result.stdout.contains("homelab "))
    }

    @Test func planOfTheExampleShowsWavesInstancesAndMaskedSecrets() throws {
        let result = try CommandRunner.run(["plan", demo])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("Wave 1"))
        #expect(result.stdout.contains("talos-vm[cp-1]"))
        #expect(result.stdout.contains("<secret:proxmox-token>"))
        #expect(!result.stdout.contains("\u{1B}["), "no colour when the output is not a terminal")
    }

    @Test func colourOnRequestAndNeverWithNoColor() throws {
        #expect(try CommandRunner.run(["plan", demo, "--color", "always"]).stdout.contains("\u{1B}[1m"))
        #expect(!(try CommandRunner.run(["plan", demo], environment: ["NO_COLOR": "1"]).stdout.contains("\u{1B}[")))
    }

    @Test func planJSONIsValidJSONWithTheDocumentedSchema() throws {
        let result = try CommandRunner.run(["plan", demo, "--json", "--param", "etcd-snapshot=2026-11-01"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["schema"] as? String == "homelab.plan/v1")
        #expect((object["params"] as? [String: Any])?["etcd-snapshot"] as? String == "2026-11-01")
        #expect((object["steps"] as? [Any])?.count == (object["summary"] as? [String: Any])?["instances"] as? Int)
    }

    @Test func graphs() throws {
        let dot = try CommandRunner.run(["plan", demo, "--graph", "dot"])
        #expect(dot.status == 0)
        #expect(dot.stdout.hasPrefix("digraph \"demo-recovery\" {"))
        #expect(dot.stdout.contains("\"preflight\" -> \"host-config\";"))
        let mermaid = try CommandRunner.run(["plan", demo, "--graph", "mermaid"])
        #expect(mermaid.stdout.hasPrefix("flowchart LR\n"))
    }

    @Test func diagnosticsExitWithOneAndNameFileLineAndColumn() throws {
        let result = try CommandRunner.run(["validate", broken])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\(broken):"))
        #expect(result.stderr.range(of: #":\d+:\d+: error: unknown key 'neds'"#, options: .regularExpression) != nil)
        #expect(result.stderr.contains("1 error, 0 warnings"))
        #expect(try CommandRunner.run(["plan", broken]).status == 1)
    }

    @Test func theDemoMistakesAreAllReportedAtOnce() throws {
        let result = try CommandRunner.run(["validate", "docs/examples/typos.yaml"])
        #expect(result.status == 1)
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("docs/examples/typos.yaml:") && $0.contains(": error: ") }
        #expect(errors.count == 8)
        #expect(result.stderr.contains("docs/examples/typos.yaml:20:13: error: dependency cycle: verify -> report -> verify"))
    }

    @Test func validateFindsRunbooksInDirectories() throws {
        let result = try CommandRunner.run(["validate", "runbooks"])
        #expect(result.status == 0)
        #expect(result.stdout.contains(demo))
        #expect(!result.stdout.contains("inventory"), "the inventory is not a runbook")
    }

    @Test func validateJSON() throws {
        let result = try CommandRunner.run(["validate", broken, "--json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let first = try #require((object["diagnostics"] as? [[String: Any]])?.first)
        #expect(first["file"] as? String == broken)
        #expect(first["severity"] as? String == "error")
    }

    @Test(arguments: [
        ["plan"], ["plan", "x.yaml", "--param", "novalue"], ["plan", "x.yaml", "--bogus"],
        ["plan", "x.yaml", "--json", "--graph", "dot"], ["plan", "x.yaml", "--graph", "png"], ["frobnicate"],
        ["actions", "exce"],
    ])
    func usageErrorsExitWithTwo(_ arguments: [String]) throws {
        let result = try CommandRunner.run(arguments)
        #expect(result.status == 2)
        #expect(!result.stderr.isEmpty)
    }

    @Test func aMissingRunbookIsADiagnostic() throws {
        let result = try CommandRunner.run(["plan", "runbooks/nope.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("runbooks/nope.yaml:1:1: error: cannot read file: no such file"))
    }

    @Test func anUnknownParamOnTheCommandLineIsNamed() throws {
        let result = try CommandRunner.run(["plan", demo, "--param", "etcd-snapshto=x"])
        #expect(result.status == 2, "a mistake on the command line is a usage error")
        #expect(
            result.stderr.contains(
                "command line: error: --param etcd-snapshto: runbook 'demo-recovery' has no param 'etcd-snapshto' (did you mean 'etcd-snapshot'?)"))
    }
}
