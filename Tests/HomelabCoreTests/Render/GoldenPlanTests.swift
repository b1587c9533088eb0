import Foundation
import Testing

@testable import HomelabCore

/// Golden outputs for valid runbooks: `plans/NAME.yaml` must render exactly as
/// `plans/NAME.plan.txt` (text, no colour) and `plans/NAME.plan.json`. The example runbooks of
/// the repository are checked the same way. Set UPDATE_GOLDEN=1 to rewrite, then review the diff.
@Suite struct GoldenPlanTests {
    static let repository = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let runbooks = Fixtures.files(in: "plans") + [repository.appendingPathComponent("runbooks/examples/demo-recovery.yaml").path]

    @Test(arguments: runbooks)
    func rendersAsRecorded(_ file: String) throws {
        let runbook = TemporaryRunbook(existing: file)
        let (plan, diagnostics) = runbook.plan(registry: Fixtures.registry)
        #expect(diagnostics.isEmpty)
        let built = try #require(plan)
        // Paths relative to the repository, so the goldens do not depend on where it is checked out.
        let prefix = Self.repository.path + "/"
        let text = PlanTextRenderer.render(built).replacingOccurrences(of: prefix, with: "")
        let json = PlanJSONRenderer.render(built).replacingOccurrences(of: prefix, with: "")
        let golden = Fixtures.path("plans/golden/" + ((file as NSString).lastPathComponent as NSString).deletingPathExtension)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try FileManager.default.createDirectory(atPath: Fixtures.path("plans/golden"), withIntermediateDirectories: true)
            try text.write(toFile: golden + ".plan.txt", atomically: true, encoding: .utf8)
            try json.write(toFile: golden + ".plan.json", atomically: true, encoding: .utf8)
        }
        #expect(text == (try String(contentsOfFile: golden + ".plan.txt", encoding: .utf8)))
        #expect(json == (try String(contentsOfFile: golden + ".plan.json", encoding: .utf8)))
    }

    @Test func secretValuesNeverAppearInAPlan() throws {
        setenv("PROXMOX_TOKEN", "s3cr3t-token-value", 1)
        defer { unsetenv("PROXMOX_TOKEN") }
        let (plan, _) = TemporaryRunbook(existing: Fixtures.path("plans/wide.yaml")).plan()
        let built = try #require(plan)
        let outputs = [PlanTextRenderer.render(built), PlanJSONRenderer.render(built), PlanGraphRenderer.render(built, as: .dot)]
        for output in outputs {
            #expect(!output.contains("s3cr3t-token-value"))
        }
        #expect(PlanJSONRenderer.render(built).contains("Bearer <secret:token>"))
    }
}
