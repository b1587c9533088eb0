import Foundation
import Testing

/// `run` and `resume` plan and execute with the integration actions, not only the built-ins.
@Suite struct IntegrationActionCommandTests {
    @Test func runAndResumeKnowTheIntegrationActions() throws {
        let workspace = try Workspace()
        // Nothing listens on port 1: the check runs, fails after its wait, and says why.
        try workspace.write(
            "check.yaml",
            """
            runbook: check
            steps:
              - id: api
                uses: http.check
                with: { url: "https://127.0.0.1:1/", wait: 1s, interval: 1s, request-timeout: 1s }
            """)
        let run = try CommandRunner.run(["run", workspace.path + "/check.yaml", "--state-dir", workspace.state])
        #expect(run.status == 1)
        #expect(!(run.stdout + run.stderr).contains("unknown action"), "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("did not answer with status 200"), "\(run.stdout)")

        let resumed = try CommandRunner.run(["resume", "--state-dir", workspace.state])
        #expect(resumed.status == 1)
        #expect(!(resumed.stdout + resumed.stderr).contains("unknown action"), "\(resumed.stdout)\(resumed.stderr)")
        #expect(resumed.stdout.contains("did not answer with status 200"), "\(resumed.stdout)")
    }
}
