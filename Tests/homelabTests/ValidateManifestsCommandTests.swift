import Foundation
import Testing

/// `homelab validate` on a repository's kubernetes/ and flux/ trees: text, JSON and SARIF.
@Suite struct ValidateManifestsCommandTests {
    /// A repository with one config service; `broken` gives its ClusterIssuer a wrong label and
    /// waives a rule in its README.
    static func repository(broken: Bool) throws -> String {
        let root = NSTemporaryDirectory() + "homelab-validate-" + UUID().uuidString
        func write(_ relative: String, _ text: String) throws {
            let path = root + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        try write("inventory.yaml", "network:\n  domain: lab.home.arpa\n")
        try write(
            "kubernetes/base/issuers/cluster-issuer-letsencrypt-prod.yaml",
            """
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt-prod
              labels:
                app: issuers
                managed-by: \(broken ? "helm" : "flux")
            spec:
              acme:
                server: https://acme-v02.api.letsencrypt.org/directory

            """)
        try write(
            "kubernetes/base/issuers/README.md",
            "# issuers\n\(broken ? "<!-- homelab:waive flux-kustomization applied by hand in this test -->\n" : "")## Dependencies\n## Configuration\n## Resources\n"
        )
        if !broken {
            try write(
                "flux/apps/issuers.yaml",
                """
                apiVersion: kustomize.toolkit.fluxcd.io/v1
                kind: Kustomization
                metadata:
                  name: issuers
                  namespace: flux-system
                  labels: {app: issuers, managed-by: flux}
                spec:
                  path: ./kubernetes/base/issuers
                  prune: true
                  sourceRef: {kind: GitRepository, name: flux-system}

                """)
        }
        return root
    }

    @Test func aCleanRepositoryPrintsOnlyItsSummary() throws {
        let root = try Self.repository(broken: false)
        let result = try CommandRunner.run(["validate", root + "/kubernetes"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.hasSuffix("manifests valid: 1 services, 1 Flux apps in \(root)\n"), "\(result.stdout)")
    }

    @Test func textListsTheDiagnosticWithItsRuleAndTheWaivers() throws {
        let root = try Self.repository(broken: true)
        let result = try CommandRunner.run(["validate", root + "/flux", "--color", "never"])
        #expect(result.status == 1)
        let file = root + "/kubernetes/base/issuers/cluster-issuer-letsencrypt-prod.yaml"
        #expect(result.stderr.hasPrefix("\(file):7:17: error: [labels] "), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("1 error, 0 warnings\n"))
        #expect(result.stdout == "\(root)/kubernetes/base/issuers/README.md:2: waived flux-kustomization: applied by hand in this test\n")
    }

    @Test func jsonCarriesRuleNamesAndWaivers() throws {
        let root = try Self.repository(broken: true)
        for arguments in [["--json"], ["--format", "json"]] {
            let result = try CommandRunner.run(["validate", root + "/kubernetes"] + arguments)
            #expect(result.status == 1)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
            #expect(diagnostics.map { $0["rule"] as? String } == ["labels"])
            #expect(diagnostics.first?["line"] as? Int == 7)
            let waivers = try #require(object["waivers"] as? [[String: Any]])
            #expect(waivers.map { $0["rule"] as? String } == ["flux-kustomization"])
            #expect(waivers.first?["reason"] as? String == "applied by hand in this test")
        }
    }

    @Test func sarifHasTheRulesTheResultsAndTheSuppressions() throws {
        let root = try Self.repository(broken: true)
        let result = try CommandRunner.run(["validate", root + "/kubernetes", "--format", "sarif"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["version"] as? String == "2.1.0")
        let run = try #require((object["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "homelab")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.contains { $0["id"] as? String == "labels" && (($0["shortDescription"] as? [String: Any])?["text"] as? String)?.isEmpty == false })
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 2)
        let finding = try #require(results.first { $0["suppressions"] == nil })
        #expect(finding["ruleId"] as? String == "labels")
        #expect(finding["level"] as? String == "error")
        let physical = try #require(((finding["locations"] as? [[String: Any]])?.first)?["physicalLocation"] as? [String: Any])
        #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == root + "/kubernetes/base/issuers/cluster-issuer-letsencrypt-prod.yaml")
        #expect((physical["region"] as? [String: Any])?["startLine"] as? Int == 7)
        #expect((physical["region"] as? [String: Any])?["startColumn"] as? Int == 17)
        let waived = try #require(results.first { $0["suppressions"] != nil })
        #expect(waived["ruleId"] as? String == "flux-kustomization")
        let suppression = try #require((waived["suppressions"] as? [[String: Any]])?.first)
        #expect(suppression["kind"] as? String == "inSource")
        #expect(suppression["justification"] as? String == "applied by hand in this test")
    }

    /// The issue's "done when": the repository's own tree (runbooks, storage/, kubernetes/,
    /// flux/) prints nothing but its summary and exits 0.
    @Test func theShippedRepositoryValidatesClean() throws {
        let result = try CommandRunner.run(["validate", "--color", "never"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        if FileManager.default.fileExists(atPath: CommandRunner.repository.appendingPathComponent("kubernetes/base").path) {
            #expect(result.stdout.range(of: #"manifests valid: \d+ services, \d+ Flux apps in \.\n"#, options: .regularExpression) != nil, "\(result.stdout)")
        }
    }

    @Test func rulesListsTheCatalog() throws {
        let result = try CommandRunner.run(["validate", "--rules"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 24)
        #expect(lines.first?.hasPrefix("service-files ") == true)
        #expect(lines.contains { $0.hasPrefix("probes") && $0.contains("workload") })
    }
}
