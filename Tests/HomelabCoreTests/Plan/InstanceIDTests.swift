import Testing

@testable import HomelabCore

/// Instances are named as users write them (`step`, `step[key]`, `step[*]`); the engine asks the
/// cases, so a key that happens to be `*` is an item like any other.
@Suite struct InstanceIDTests {
    @Test func instancesReadAsUsersWriteThem() {
        #expect(InstanceID(step: "check").text == "check")
        #expect(InstanceID(step: "talos-vm", item: .key("cp-1")).text == "talos-vm[cp-1]")
        #expect(InstanceID(step: "talos-vm", item: .atRunTime).text == "talos-vm[*]")
        #expect("\(InstanceID(step: "talos-vm", item: .key("cp-1")))" == "talos-vm[cp-1]")
    }

    @Test func onlyTheRunTimeCaseIsThePlaceholder() {
        #expect(InstanceID(step: "vm", item: .atRunTime).isRunTimePlaceholder)
        #expect(!InstanceID(step: "vm", item: .key("*")).isRunTimePlaceholder)
        #expect(!InstanceID(step: "vm").isRunTimePlaceholder)
    }

    @Test func journaledNamesBelongToTheirStepOnly() {
        #expect(InstanceID.isInstance("vm[a]", of: "vm"))
        #expect(InstanceID.isInstance("vm", of: "vm"))
        #expect(!InstanceID.isInstance("vmx[a]", of: "vm"))
        #expect(!InstanceID.isInstance("vm-disk", of: "vm"))
    }

    @Test func aPlanGivesARunTimeListOnePlaceholderAndAKnownListItsKeys() throws {
        let run = try ScriptedRun(
            """
            runbook: t
            steps:
              - { id: list, uses: script, with: { value: [a, b] } }
              - { id: each, uses: script, for-each: "${steps.list.outputs.value}", with: { value: "${item}" } }
              - { id: known, uses: script, for-each: [a, b], with: { value: "${item}" } }
            """)
        let compiled = RunbookCompiler(registry: run.registry).compile(path: run.runbook.path, options: PlanOptions())
        let plan = try #require(compiled.plan, "\(DiagnosticRenderer.text(compiled.diagnostics))")
        let items = Dictionary(uniqueKeysWithValues: plan.steps.map { ($0.id, $0.instanceID.item) })
        let expected: [String: InstanceID.Item?] = ["list": nil, "each[*]": .atRunTime, "known[a]": .key("a"), "known[b]": .key("b")]
        #expect(items == expected)
    }
}
