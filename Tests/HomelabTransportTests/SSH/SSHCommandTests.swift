import Foundation
import HomelabTransport
import Testing

/// Running commands on a real sshd: environment, exit status and signal, streaming, uploads,
/// cancellation and a server that dies mid-stream.
@Suite(.timeLimit(.minutes(5)))
struct SSHCommandTests {
    @Test func runsWithEnvironmentAndReportsExitCodeAndStderr() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect()
        let result = try await client.run(
            #"printf '%s' "$HOMELAB_TEST_GREETING"; echo oops >&2; exit 3"#,
            environment: ["HOMELAB_TEST_GREETING": "hello lab"])
        #expect(result.status == SSHExitStatus(code: 3, signal: nil))
        #expect(result.stdoutText == "hello lab")
        #expect(result.stderrText == "oops\n")
        await client.close()
    }

    @Test func aVariableOutsideAcceptEnvIsRefusedByName() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect()
        await #expect(throws: SSHError.environmentRefused(endpoint: "127.0.0.1:\(lab.port)", name: "NOT_ACCEPTED")) {
            try await client.run("true", environment: ["NOT_ACCEPTED": "x"])
        }
        #expect(try await client.run("echo still usable").stdoutText == "still usable\n")
        await client.close()
    }

    @Test func reportsTheSignalThatKilledTheCommand() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect()
        let result = try await client.run("kill -TERM $$")
        #expect(result.status == SSHExitStatus(code: nil, signal: "TERM"))
        await client.close()
    }

    @Test func feedsStdinFromMemoryAndFromAFile() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect()
        #expect(try await client.run("tr a-z A-Z", stdin: .text("shout\n")).stdoutText == "SHOUT\n")
        let path = lab.freshPath("input")
        try Data("line one\nline two\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try await client.run("wc -l", stdin: .file(path)).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
        await client.close()
    }

    @Test func streamsOneGibibyteThroughCatAndBackUnchanged() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect()
        let input = GeneratedChunks(count: 1024)
        let output = HashingSink()
        let errors = HashingSink()
        let status = try await client.execute(
            "cat", stdin: .chunks(input), stdout: output, stderr: errors,
            timeout: .seconds(600))
        #expect(status.succeeded)
        #expect(errors.count == 0)
        #expect(output.count == 1 << 30)
        #expect(output.finish() == input.hasher.finish())
        await client.close()
    }

    @Test func uploadsAFileOverSFTP() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect()
        let local = lab.freshPath("local")
        var bytes = GeneratedChunks(count: 1).block
        bytes += bytes.prefix(777_777) // not a multiple of any buffer size
        try Data(bytes).write(to: URL(fileURLWithPath: local))
        let remote = lab.freshPath("uploaded")
        let sent = try await client.upload(file: local, to: remote, permissions: 0o600)
        #expect(sent == bytes.count)
        let check = try await client.run("sha256sum '\(remote)' && stat -c %a '\(remote)'")
        let expected = Digest.sha256(bytes).map { String(format: "%02x", $0) }.joined()
        #expect(check.stdoutText.hasPrefix(expected + " "))
        #expect(check.stdoutText.hasSuffix("\n600\n"))

        let error = await #expect(throws: SSHError.self) {
            try await client.upload(file: local, to: lab.freshPath("missing-dir") + "/file")
        }
        guard case .remoteFile(_, _, let reason) = error else {
            Issue.record("expected remoteFile, got \(String(describing: error))")
            return
        }
        #expect(reason == "no such file or directory")
        await client.close()
    }

    @Test func cancellingAnEndlessCommandReturnsAndLeavesTheConnectionUsable() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect()
        let output = WatchingSink()
        let running = Task {
            try await client.execute(
                "echo started; sleep 1000", stdout: output, stderr: SSHDiscardOutput(),
                timeout: .seconds(120))
        }
        await output.waitFor("started")
        running.cancel()
        let outcome = await running.result
        #expect(throws: SSHError.cancelled(endpoint: "127.0.0.1:\(lab.port)", phase: .command)) { try outcome.get() }
        #expect(try await client.run("echo after").stdoutText == "after\n")
        await client.close()
    }

    @Test func aCommandPastItsDeadlineTimesOut() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect()
        await #expect(throws: SSHError.timeout(endpoint: "127.0.0.1:\(lab.port)", phase: .command, seconds: 1)) {
            try await client.run("sleep 1000", timeout: .seconds(1))
        }
        await client.close()
    }

    @Test func aServerKilledMidStreamGivesConnectionLost() async throws {
        let lab = try await SSHLab.start(agent: false)
        let client = try await lab.connect()
        let input = GeneratedChunks(count: nil) // endless
        let output = WatchingSink()
        let streaming = Task {
            try await client.execute(
                "echo streaming; cat > /dev/null", stdin: .chunks(input), stdout: output,
                stderr: SSHDiscardOutput(), timeout: .seconds(120))
        }
        await output.waitFor("streaming")
        while input.hasher.count < 64 << 20 { try await Task.sleep(for: .milliseconds(20)) }
        lab.killConnections()
        let outcome = await streaming.result
        let error = #expect(throws: SSHError.self) { try outcome.get() }
        guard case .connectionLost(let endpoint, let phase, _) = error else {
            Issue.record("expected connectionLost, got \(String(describing: error))")
            return
        }
        #expect(endpoint == "127.0.0.1:\(lab.port)" && phase == .command)
        await #expect(throws: SSHError.self) { try await client.run("true") }
    }
}
