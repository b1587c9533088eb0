import Foundation
import HomelabCore
import Testing

/// Plants a canary secret value, lets steps echo it on purpose (in outputs, in an error, in a
/// progress line), and greps every output for it: terminal, --json, journal, log, status, report.
@Suite struct SecretCanaryTests {
    static let canary = "canary-7d3f9e1b-secret"

    @Test func theCanaryNeverAppearsAnywhere() throws {
        let workspace = try Workspace()
        try workspace.write(
            "leaky.yaml",
            """
            runbook: leaky
            secrets:
              token: { env: CANARY_TOKEN }
            steps:
              - id: echo-it
                uses: exec
                with: { command: "echo the token is $TOKEN", env: { TOKEN: "${secrets.token}" } }
              - id: uses-output
                uses: exec
                with: { command: "echo again: ${steps.echo-it.outputs.stdout}" }
              - id: fails-loudly
                uses: exec
                needs: [uses-output]
                with: { command: "echo failing with $TOKEN >&2; exit 1", env: { TOKEN: "${secrets.token}" } }
            """)
        let environment = ["CANARY_TOKEN": Self.canary]
        var outputs: [String] = []
        for extra in [[], ["--json"]] {
            let state = workspace.state + (extra.isEmpty ? "/text" : "/json")
            let run = try CommandRunner.run(["run", workspace.path + "/leaky.yaml", "--state-dir", state, "--yes"] + extra, environment: environment)
            #expect(run.status == 1, "the last step fails on purpose")
            outputs += [run.stdout, run.stderr]
            let runs = try FileManager.default.contentsOfDirectory(atPath: state + "/runs")
            for id in runs {
                for file in [StateDirectory.journalName, "run.log"] {
                    outputs.append((try? String(contentsOfFile: "\(state)/runs/\(id)/\(file)", encoding: .utf8)) ?? "")
                }
                for command in [["status", id], ["report", id], ["history"], ["status", id, "--json"]] {
                    let shown = try CommandRunner.run(command + ["--state-dir", state])
                    outputs += [shown.stdout, shown.stderr]
                }
            }
        }
        #expect(outputs.joined().contains("<secret:token>"), "the secret is shown masked where it was used")
        for (index, output) in outputs.enumerated() {
            #expect(!output.contains(Self.canary), "output \(index) leaks the secret:\n\(output)")
        }
    }
}
