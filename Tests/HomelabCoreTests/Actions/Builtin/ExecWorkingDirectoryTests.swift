import Foundation
import Testing

@testable import HomelabCore

/// `cwd: /nonexistent` said "cannot start /bin/sh: ... file doesn't exist", blaming the shell.
@Suite struct ExecWorkingDirectoryTests {
    @Test func aMissingWorkingDirectoryIsNamed() async throws {
        let call = ActionCall(step: "s", inputs: ["command": .string("true"), "cwd": .string("/nonexistent")])
        let error = try await #require(throws: ActionError.self) { try await Exec().run(call, context: RecordingContext()) }
        #expect(error.message == "working directory /nonexistent does not exist")
        #expect(!error.isRetryable)
        let probe = ActionCall(step: "s", inputs: ["command": .string("true"), "unless": .string("true"), "cwd": .string("/nonexistent")])
        let probed = try await #require(throws: ActionError.self) { try await Exec().probe(probe, context: RecordingContext()) }
        #expect(probed.message == "working directory /nonexistent does not exist")
    }

    @Test func aFileIsNotAWorkingDirectory() async throws {
        let file = NSTemporaryDirectory() + "homelab-cwd-" + UUID().uuidString
        FileManager.default.createFile(atPath: file, contents: nil)
        let call = ActionCall(step: "s", inputs: ["command": .string("true"), "cwd": .string(file)])
        let error = try await #require(throws: ActionError.self) { try await Exec().run(call, context: RecordingContext()) }
        #expect(error.message == "working directory \(file) is not a directory")
    }
}
