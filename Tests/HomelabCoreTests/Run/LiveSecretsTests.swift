import Foundation
import Testing

@testable import HomelabCore

/// `echo token > file` and `export TOKEN=$(cat file)` habits: one trailing newline is not part
/// of the secret.
@Suite struct LiveSecretsTests {
    func secret(_ source: Secret.Source) -> Secret {
        Secret(name: "token", location: .file("t.yaml"), source: source)
    }

    @Test(arguments: [("tok\n", "tok"), ("tok\r\n", "tok"), ("tok\n\n", "tok\n"), ("tok", "tok"), (" tok ", " tok ")])
    func oneTrailingNewlineIsStrippedFromAFile(contents: String, expected: String) async throws {
        let path = NSTemporaryDirectory() + "homelab-secret-" + UUID().uuidString
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try await LiveSecrets(environment: [:]).value(of: secret(.file(path)), runbookFile: "/t.yaml") == expected)
    }

    @Test func oneTrailingNewlineIsStrippedFromAnEnvironmentVariable() async throws {
        let secrets = LiveSecrets(environment: ["TOKEN": "tok\n"])
        #expect(try await secrets.value(of: secret(.environment("TOKEN")), runbookFile: "/t.yaml") == "tok")
    }
}

/// A secret too short to hide safely is said once, when it is first read, and its value never.
@Suite struct ShortSecretNoticeTests {
    final class Notices: RunObserver, @unchecked Sendable {
        private let lock = NSLock()
        private var seen: [String] = []
        var all: [String] { lock.withLock { seen } }
        func update(_ update: RunUpdate) {
            if case .runNotice(let message) = update { lock.withLock { seen.append(message) } }
        }
    }

    struct Fixed: SecretSource {
        func value(of secret: Secret, runbookFile: String) async throws -> String { "e" }
    }

    @Test func aShortSecretIsNoticedOnce() async throws {
        let runbook = try TemporaryRunbook("runbook: t\nsecrets: { pin: { env: UNUSED } }\nsteps:\n  - { id: a, uses: wait, with: { duration: 1s } }\n")
        let loaded = RunbookCompiler().compile(path: runbook.path).loaded
        let notices = Notices()
        let journal = try JournalWriter(path: StateDirectory.journal(in: runbook.directory))
        let environment = RunEnvironment(registry: .builtin, journal: journal, observer: notices, secrets: Fixed())
        let runbookModel = try #require(loaded).runbook
        _ = try await RunInputs.secretValues(["pin"], runbook: runbookModel, environment: environment)
        _ = try await RunInputs.secretValues(["pin"], runbook: runbookModel, environment: environment)
        #expect(notices.all == [Redactor.shortSecretWarning(name: "pin", value: "e")])
    }
}
