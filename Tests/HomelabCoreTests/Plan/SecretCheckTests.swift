import Foundation
import Testing

@testable import HomelabCore

@Suite struct SecretCheckTests {
    @Test func reportsMissingSecretsWithoutReadingAnyValue() throws {
        let runbook = try TemporaryRunbook(
            """
            runbook: t
            secrets:
              token: { env: HOMELAB_TEST_TOKEN }
              empty: { env: HOMELAB_TEST_EMPTY }
              present: { file: present.txt }
              absent: { file: absent.txt }
              vault: { command: "exit 1" }
            steps:
              - { id: a, uses: exec, with: { command: x } }
            """)
        try "value".write(toFile: runbook.directory + "/present.txt", atomically: true, encoding: .utf8)
        let (loaded, _) = RunbookLoader().load(path: runbook.path)
        let diagnostics = SecretCheck.check(try #require(loaded).runbook, environment: ["HOMELAB_TEST_TOKEN": "set", "HOMELAB_TEST_EMPTY": ""])
        let messages = diagnostics.sorted.map { "\($0.location.line): \($0.severity.rawValue): \($0.message)" }
        #expect(
            messages == [
                "4: error: secret 'empty' is not available: environment variable HOMELAB_TEST_EMPTY is set but empty; export it with the secret's value",
                "6: error: secret 'absent' is not available: cannot read \(runbook.directory)/absent.txt",
                "7: warning: secret 'vault' comes from a command ('exit 1'), which a plan does not run; it is checked when the run reads it",
            ])
    }
}
