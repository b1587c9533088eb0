import Testing

@testable import HomelabCore

@Suite struct PlannerTests {
    func waves(_ plan: Plan?) -> [[String]] {
        plan?.waves.map { $0.map(\.id) } ?? []
    }

    @Test func aStepIsInTheFirstWaveAfterItsDependencies() throws {
        let (plan, diagnostics) = try TemporaryRunbook(
            """
            runbook: t
            steps:
              - { id: c, uses: exec, needs: [b], with: { command: x } }
              - { id: a, uses: exec, with: { command: x } }
              - { id: b, uses: exec, needs: [a], with: { command: x } }
              - { id: d, uses: exec, with: { command: "${steps.a.outputs.stdout}" } }
            """
        ).plan()
        #expect(diagnostics.isEmpty)
        #expect(waves(plan) == [["a"], ["b", "d"], ["c"]])
        #expect(plan?.steps.first { $0.id == "d" }?.needs == ["a"], "reading an output implies the dependency")
    }

    @Test func forEachExpandsIntoNamedInstances() throws {
        let (plan, diagnostics) = try TemporaryRunbook(
            """
            runbook: t
            inventory: inventory.yaml
            steps:
              - id: vm
                uses: proxmox.vm
                for-each: ${inventory.nodes}
                with: { node: pve, vmid: "${item.vmid}", name: "${item.name}" }
              - { id: after, uses: exec, needs: [vm], with: { command: x } }
              - { id: scalars, uses: exec, for-each: [a, b], with: { command: "echo ${item}" } }
            """, inventory: "nodes: [{ name: cp-1, vmid: 201 }, { name: w-1, vmid: 211 }]"
        ).plan()
        #expect(diagnostics.isEmpty)
        #expect(waves(plan) == [["vm[cp-1]", "vm[w-1]", "scalars[a]", "scalars[b]"], ["after"]])
        let vm = try #require(plan?.steps.first)
        #expect(vm.inputs.map(\.0) == ["node", "vmid", "name", "memory"], "defaults are resolved too")
        #expect(vm.inputs[1].1 == .value(.int(201)))
        #expect(plan?.steps.last?.needs == ["vm[cp-1]", "vm[w-1]"])
    }

    @Test func finallyStepsComeAfterEverythingElse() throws {
        let (plan, _) = try TemporaryRunbook(
            """
            runbook: t
            steps:
              - { id: cleanup, uses: exec, finally: true, with: { command: x } }
              - { id: a, uses: exec, with: { command: x } }
              - { id: b, uses: exec, needs: [a], with: { command: x } }
              - { id: last, uses: exec, finally: true, needs: [cleanup], with: { command: x } }
            """
        ).plan()
        #expect(waves(plan) == [["a"], ["b"], ["cleanup"], ["last"]])
    }

    @Test func drillAndWhenDecideWhatIsSkipped() throws {
        let runbook = try TemporaryRunbook(
            """
            runbook: t
            params: { gaming: false, mode: { default: fast } }
            steps:
              - { id: sandbox, uses: exec, drill: only, with: { command: x } }
              - { id: notify, uses: exec, drill: never, with: { command: x } }
              - { id: games, uses: exec, when: "${params.gaming}", with: { command: x } }
              - { id: quick, uses: exec, when: "${params.mode == 'fast'}", with: { command: x } }
              - { id: later, uses: exec, when: "${steps.quick.outputs.stdout}", with: { command: x } }
            """)
        func statuses(_ plan: Plan?) -> [PlannedStep.Status] { plan?.steps.map(\.status) ?? [] }
        let run = runbook.plan().0
        #expect(
            statuses(run) == [
                .skipped("runs only in drills"), .planned, .skipped("when: ${params.gaming} is false"), .planned,
                .conditional("when: ${steps.quick.outputs.stdout}"),
            ])
        let drill = runbook.plan(PlanOptions(params: [("gaming", "true")], isDrill: true)).0
        #expect(statuses(drill).prefix(3) == [.planned, .skipped("never runs in drills"), .planned])
    }

    @Test func forEachOverRunTimeOutputsIsOnePlaceholder() throws {
        let (plan, diagnostics) = try TemporaryRunbook(
            """
            runbook: t
            steps:
              - { id: list, uses: exec, with: { command: x } }
              - { id: each, uses: exec, for-each: "${steps.list.outputs.stdout}", with: { command: "echo ${item.name}" } }
            """
        ).plan()
        #expect(diagnostics.isEmpty)
        let each = try #require(plan?.steps.last)
        #expect(each.id == "each[*]")
        #expect(each.inputs[0].1 == .deferred("echo ${item.name}"))
    }

    @Test func anEmptyForEachIsShownAsSkipped() throws {
        let (plan, _) = try TemporaryRunbook(
            """
            runbook: t
            steps:
              - { id: none, uses: exec, for-each: [], with: { command: x } }
            """
        ).plan()
        #expect(plan?.steps.map(\.status) == [.skipped("for-each list is empty")])
    }

    @Test func paramsFromTheCommandLineAreChecked() throws {
        let runbook = try TemporaryRunbook(
            """
            runbook: t
            params:
              snapshot:
              level: { default: low, enum: [low, high] }
            steps:
              - { id: a, uses: exec, with: { command: "${params.snapshot} ${params.level}" } }
            """)
        #expect(runbook.plan().1 == ["3:3: param 'snapshot' is required: pass --param snapshot=VALUE"])
        #expect(runbook.plan(PlanOptions(requireParams: false)).1.isEmpty, "validate leaves required params open")
        #expect(
            runbook.plan(PlanOptions(params: [("snapshot", "s1"), ("levle", "x")])).1 == [
                "0:0: --param levle: runbook 't' has no param 'levle' (did you mean 'level'?); it declares: snapshot, level"
            ])
        #expect(
            runbook.plan(PlanOptions(params: [("snapshot", "s1"), ("level", "max")])).1 == [
                "0:0: --param level=max: not an allowed value; use one of: low, high"
            ])
        let (plan, _) = runbook.plan(PlanOptions(params: [("snapshot", "s1"), ("level", "high")]))
        #expect(plan?.steps[0].inputs[0].1 == .value(.string("s1 high")))
    }

    @Test func theSameInputGivesTheSameOutput() {
        let runbook = TemporaryRunbook(existing: Fixtures.path("plans/wide.yaml"))
        let first = runbook.plan().0.map { PlanJSONRenderer.render($0) }
        let second = runbook.plan().0.map { PlanJSONRenderer.render($0) }
        #expect(first != nil)
        #expect(first == second)
    }
}
