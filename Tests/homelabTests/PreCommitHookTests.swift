import Foundation
import Testing

/// scripts/pre-commit, installed by `make hooks` into a throwaway repository, run by real
/// `git commit`s: it validates the index, not the working tree.
@Suite("scripts/pre-commit")
struct PreCommitHookTests {
    /// A git repository in a temporary directory with the hook installed, isolated from the
    /// machine's git configuration (a global core.hooksPath would bypass .git/hooks).
    struct Repository {
        let root: String

        init() throws {
            root = NSTemporaryDirectory() + "homelab-pre-commit-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: root + "/scripts", withIntermediateDirectories: true)
            let script = CommandRunner.repository.appendingPathComponent("scripts/pre-commit").path
            try FileManager.default.copyItem(atPath: script, toPath: root + "/scripts/pre-commit")
            try write("inventory.yaml", "network:\n  domain: lab.example.org\n")
            try #require(try git(["init", "-q"]).status == 0)
            let makefile = CommandRunner.repository.appendingPathComponent("Makefile").path
            let installed = try run("/usr/bin/env", ["make", "--no-print-directory", "-f", makefile, "hooks"])
            try #require(installed.status == 0, "\(installed.stderr)")
        }

        func write(_ relative: String, _ text: String) throws {
            let path = root + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }

        func read(_ relative: String) throws -> String {
            try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
        }

        func git(_ arguments: [String], environment: [String: String] = [:]) throws -> CommandRunner.Result {
            let identity = ["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
            return try run("/usr/bin/env", ["git"] + identity + arguments, environment: environment)
        }

        func commit(_ message: String, environment: [String: String] = ["HOMELAB": CommandRunner.executable]) throws -> CommandRunner.Result {
            try git(["commit", "-q", "-m", message], environment: environment)
        }

        func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandRunner.Result {
            var base = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") && $0.key != "HOMELAB" }
            base["GIT_CONFIG_GLOBAL"] = "/dev/null"
            base["GIT_CONFIG_NOSYSTEM"] = "1"
            return try CommandRunner.run(program: program, arguments, in: root, environment: base.merging(environment) { $1 }, inherit: false)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test func makeHooksLinksTheScript() throws {
        let repository = try Repository()
        defer { repository.remove() }
        let hook = repository.root + "/.git/hooks/pre-commit"
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: hook) == repository.root + "/scripts/pre-commit")
    }

    @Test func aGoodServiceCommitsAndABrokenStagedOneIsBlockedWhateverTheWorkingTree() throws {
        let repository = try Repository()
        defer { repository.remove() }
        let added = try CommandRunner.run(["service", "add", "notes", "--image", "ghcr.io/example/notes:1.0.0", "--root", repository.root])
        try #require(added.status == 0, "\(added.stderr)")
        #expect(try repository.git(["add", "-A"]).status == 0)
        let good = try repository.commit("a good service")
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")

        // Stage a broken image, then fix it in the working tree only: the index is what counts.
        let path = "kubernetes/base/notes/deployment.yaml"
        let fixed = try repository.read(path)
        try repository.write(path, fixed.replacingOccurrences(of: "ghcr.io/example/notes:1.0.0", with: "ghcr.io/example/notes:latest"))
        #expect(try repository.git(["add", path]).status == 0)
        try repository.write(path, fixed)
        let blocked = try repository.commit("a broken service")
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("\(path):"), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("[image]"), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("pre-commit: the staged files break the rules above; the commit is blocked"))
        #expect(try repository.git(["rev-list", "--count", "HEAD"]).stdout == "1\n")

        // The other way round: a good index (the fix, and a second service) with a broken
        // working tree commits.
        #expect(try repository.git(["add", path]).status == 0)
        let second = try CommandRunner.run(["service", "add", "second", "--image", "ghcr.io/example/second:2.0.0", "--root", repository.root])
        try #require(second.status == 0, "\(second.stderr)")
        #expect(try repository.git(["add", "kubernetes/base/second", "flux/apps/second.yaml"]).status == 0)
        try repository.write(path, "kind: Secret\n")
        let committed = try repository.commit("a second service")
        #expect(committed.status == 0, "\(committed.stdout)\(committed.stderr)")
        #expect(try repository.git(["rev-list", "--count", "HEAD"]).stdout == "2\n")
    }

    @Test func nothingStagedUnderTheCheckedFoldersNeedsNoBinary() throws {
        let repository = try Repository()
        defer { repository.remove() }
        try repository.write("notes.txt", "not a manifest\n")
        #expect(try repository.git(["add", "notes.txt"]).status == 0)
        let result = try repository.commit("docs only", environment: ["HOMELAB": "/nonexistent/homelab"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func withoutABinaryTheCommitIsBlockedWithAClearMessage() throws {
        let repository = try Repository()
        defer { repository.remove() }
        #expect(try repository.git(["add", "inventory.yaml"]).status == 0)
        let result = try repository.commit("inventory", environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("pre-commit: cannot validate the staged files: no homelab binary"), "\(result.stderr)")
    }
}
