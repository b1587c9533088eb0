import ArgumentParser
import HomelabCore

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a run of a runbook would do, without doing any of it.",
        discussion: """
        Loads and validates the runbook, expands for-each steps into instances, orders them in waves (a step is in the first wave after all of its dependencies) and resolves every input it can. Secrets are shown as <secret:name> and never read; outputs of earlier steps are shown as the expression that will read them. No side effects, ever.

        Examples:
          homelab plan runbooks/examples/demo-recovery.yaml
          homelab plan RUNBOOK --param etcd-snapshot=2026-11-01
          homelab plan RUNBOOK --drill --json > plan.json
          homelab plan RUNBOOK --check-secrets
          homelab plan RUNBOOK --graph dot | dot -Tsvg > plan.svg
        """
    )

    @Argument(help: ArgumentHelp("The runbook file.", valueName: "runbook"))
    var runbook: String

    @OptionGroup var options: RunbookOptions

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    @Flag(help: "Plan a DR drill: 'drill: only' steps run, 'drill: never' steps are skipped.")
    var drill = false

    @Flag(help: "Check that every secret can be read (variable set, file readable), without reading any value.")
    var checkSecrets = false

    @Flag(help: "Print the plan as JSON (schema homelab.plan/v1, see docs/plan-json.md).")
    var json = false

    @Option(help: ArgumentHelp("Print the step graph instead: dot (Graphviz) or mermaid.", valueName: "format"))
    var graph: PlanGraphRenderer.Format?

    func validate() throws {
        if json && graph != nil { throw ValidationError("--json and --graph cannot be used together") }
    }

    func run() throws {
        let loader = RunbookLoader(registry: HomelabRegistry.make())
        var (loaded, diagnostics) = loader.load(path: runbook, inventoryOverride: options.inventory)
        var plan: Plan?
        if let loaded {
            let planOptions = PlanOptions(params: options.parsedParams, inventoryOverride: options.inventory, isDrill: drill)
            let (built, planDiagnostics) = Planner.plan(loaded, registry: loader.registry, options: planOptions)
            diagnostics.append(contentsOf: planDiagnostics)
            if checkSecrets { diagnostics.append(contentsOf: SecretCheck.check(loaded.runbook)) }
            plan = built
        }
        Terminal.report(diagnostics, color: color)
        guard let plan, !diagnostics.hasErrors else { throw ExitCode(ExitStatus.diagnostics) }
        if json {
            Terminal.out(PlanJSONRenderer.render(plan))
        } else if let graph {
            Terminal.out(PlanGraphRenderer.render(plan, as: graph))
        } else {
            Terminal.out(PlanTextRenderer.render(plan, style: Terminal.style(color, for: STDOUT_FILENO)))
        }
        // Done: leave without tearing down the plan object by object (a tenth of the time of
        // a 10,000-step plan goes to freeing memory the process is about to give back whole).
        Foundation.exit(ExitStatus.success)
    }
}

extension PlanGraphRenderer.Format: ExpressibleByArgument {}

import Foundation
