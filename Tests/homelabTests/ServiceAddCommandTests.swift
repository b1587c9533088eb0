import Foundation
import Testing

@Suite("homelab service add")
struct ServiceAddCommandTests {
    /// A temporary repository with an inventory that names the domain.
    private func repository() throws -> String {
        let root = NSTemporaryDirectory() + "homelab-service-add-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root + "/kubernetes/base", withIntermediateDirectories: true)
        try "network:\n  domain: lab.example.org\n".write(toFile: root + "/inventory.yaml", atomically: true, encoding: .utf8)
        return root
    }

    private func listing(_ root: String) -> [String] {
        ((FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? []).sorted()
    }

    @Test func writesTheServiceAndSaysWhat() throws {
        let root = try repository()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try CommandRunner.run([
            "service", "add", "wiki", "--exposed", "--storage", "5Gi", "--metrics", "9100", "--secrets", "--image", "ghcr.io/example/wiki:2.5.1",
            "--root", root,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let created =
            [
                "deployment.yaml", "service.yaml", "network-policy.yaml", "ingressroute.yaml", "pvc.yaml", "servicemonitor.yaml", "external-secret.yaml",
                "README.md",
            ].map { "kubernetes/base/wiki/\($0)" } + ["flux/apps/wiki.yaml"]
        #expect(result.stdout == created.map { "created \($0)\n" }.joined())
        for path in created { #expect(FileManager.default.fileExists(atPath: root + "/" + path), "\(path)") }
        let route = try String(contentsOfFile: root + "/kubernetes/base/wiki/ingressroute.yaml", encoding: .utf8)
        #expect(route.contains("Host(`wiki.lab.example.org`)"))

        // Never overwrites: the same command again is refused and changes nothing.
        let before = try String(contentsOfFile: root + "/kubernetes/base/wiki/deployment.yaml", encoding: .utf8)
        let again = try CommandRunner.run(["service", "add", "wiki", "--root", root])
        #expect(again.status == 2)
        #expect(
            again.stderr
                == "error: service 'wiki' already exists: kubernetes/base/wiki/; homelab never overwrites a service (remove it first, or choose another name)\n"
        )
        #expect(try String(contentsOfFile: root + "/kubernetes/base/wiki/deployment.yaml", encoding: .utf8) == before)
    }

    @Test(arguments: [
        (["Bad_Name"], "service name 'Bad_Name' is not kebab-case"),
        (["app", "--image", "nginx"], "image 'nginx' has no tag"),
        (["app", "--image", "nginx:latest"], "image 'nginx:latest' uses the tag 'latest'"),
        (["app", "--depends-on", "nosuch"], "--depends-on 'nosuch': no service kubernetes/base/nosuch/"),
        (["app", "--group", "media"], "--group 'media' is not a group: use monitoring or security"),
        (["app", "--storage", "lots"], "--storage 'lots' is not a Kubernetes quantity"),
    ])
    func refusalsAreUsageErrorsAndWriteNothing(_ arguments: [String], _ message: String) throws {
        let root = try repository()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let before = listing(root)
        let result = try CommandRunner.run(["service", "add"] + arguments + ["--root", root])
        #expect(result.status == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(listing(root) == before)
    }

    @Test func dryRunPrintsTheFilesAndWritesNothing() throws {
        let root = try repository()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let before = listing(root)
        let result = try CommandRunner.run(["service", "add", "notes", "--dry-run", "--root", root])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("# kubernetes/base/notes/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\n"))
        #expect(result.stdout.contains("# flux/apps/notes.yaml\n"))
        #expect(result.stderr == "dry run: nothing written\n")
        #expect(listing(root) == before)
    }

    @Test func jsonListsTheFilesWithTheirText() throws {
        let root = try repository()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try CommandRunner.run(["service", "add", "notes", "--dry-run", "--json", "--root", root])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["service"] as? String == "notes")
        #expect(object["written"] as? Bool == false)
        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.compactMap { $0["path"] as? String }.last == "flux/apps/notes.yaml")
        #expect((files.first?["text"] as? String)?.hasPrefix("apiVersion: apps/v1\n") == true)
    }

    @Test func fromASubdirectoryTheServiceGoesToTheRepository() throws {
        let root = try repository()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try CommandRunner.run(program: CommandRunner.executable, ["service", "add", "notes"], in: root + "/kubernetes/base", environment: [:])
        #expect(result.status == 0, "\(result.stderr)")
        let found = URL(fileURLWithPath: root).standardizedFileURL.path
        #expect(result.stdout.hasPrefix("created \(found)/kubernetes/base/notes/deployment.yaml\n"))
        #expect(FileManager.default.fileExists(atPath: root + "/flux/apps/notes.yaml"))
        #expect(!FileManager.default.fileExists(atPath: root + "/kubernetes/base/kubernetes"))
    }

    @Test func helpShowsExamples() throws {
        let result = try CommandRunner.run(["service", "add", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("homelab service add paperless --exposed"))
    }
}
