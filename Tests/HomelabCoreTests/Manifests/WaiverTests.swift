import Foundation
import HomelabCore
import Testing

/// `# homelab:waive <rule> <reason>`: honoured for that rule in that file, listed, and refused
/// without a reason or with a rule that does not exist.
@Suite struct WaiverTests {
    let pvc = RuleMutation.webapp + "pvc.yaml"

    @Test func aWaiverSuppressesItsRuleInItsFileAndIsListed() throws {
        let fixture = try ManifestFixture()
        try fixture.replace(pvc, "storageClassName: zfs-storage", with: "storageClassName: local-path  # homelab:waive storage the NAS exports this one")
        let report = fixture.validate()
        #expect(fixture.findings() == [])
        #expect(report.waivers.map(\.rendered) == ["\(fixture.path(pvc)):9: waived storage: the NAS exports this one"])
        #expect(report.suppressed.count == 1)
        #expect(report.suppressed.first?.diagnostic.rule == "storage")
        #expect(report.suppressed.first?.waiver.reason == "the NAS exports this one")
    }

    @Test func aWaiverDoesNotReachOtherRulesOrOtherFiles() throws {
        let fixture = try ManifestFixture()
        try fixture.replace(pvc, "storageClassName: zfs-storage", with: "storageClassName: local-path\n  # homelab:waive labels not this rule")
        try fixture.replace(RuleMutation.webapp + "service.yaml", "managed-by: flux", with: "managed-by: helm")
        #expect(
            fixture.findings() == [
                fixture.describe(try fixture.locate("local-path", in: pvc), "storage"),
                fixture.describe(try fixture.locate("helm", in: RuleMutation.webapp + "service.yaml"), "labels"),
            ])
        #expect(fixture.validate().waivers.count == 1)
    }

    @Test func aReadmeWaiverCoversTheDirectoryFindings() throws {
        let fixture = try ManifestFixture()
        try fixture.remove(RuleMutation.webapp + "servicemonitor.yaml")
        let readme = RuleMutation.webapp + "README.md"
        try fixture.replace(readme, "# webapp\n", with: "# webapp\n<!-- homelab:waive service-files metrics are scraped by the node exporter -->\n")
        #expect(fixture.findings() == [])
        #expect(fixture.validate().waivers.map(\.reason) == ["metrics are scraped by the node exporter"])
    }

    @Test func aWaiverWithoutAReasonOrWithAnUnknownRuleIsAnError() throws {
        let fixture = try ManifestFixture()
        try fixture.replace(pvc, "spec:\n", with: "spec:\n  # homelab:waive storag the NAS\n  # homelab:waive storage\n")
        let report = fixture.validate()
        let messages = report.diagnostics.sorted.map(\.message)
        #expect(
            fixture.findings() == [
                fixture.describe(try fixture.locate("# homelab:waive storag", in: pvc), "waiver"),
                fixture.describe(try fixture.locate("# homelab:waive storage\n", in: pvc), "waiver"),
            ])
        #expect(messages[0].contains("'storag' is not a rule that can be waived (did you mean 'storage'?)"))
        #expect(messages[1].contains("gives no reason"))
        #expect(report.waivers.isEmpty)
    }

    @Test func theMarkerOutsideACommentIsNotAWaiver() throws {
        let fixture = try ManifestFixture()
        try fixture.replace(RuleMutation.webapp + "configmap.yaml", "LOG_LEVEL: info", with: "LOG_LEVEL: info\n  NOTE: homelab:waive storage in a value")
        #expect(fixture.findings() == [])
        #expect(fixture.validate().waivers.isEmpty)
    }
}
