import ArgumentParser
import Foundation
import HomelabActions
import HomelabCore

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a run of a runbook would do, without doing any of it.",
        discussion: """
            Loads and validates the runbook, expands for-each steps into instances, orders them in waves (a step is in the first wave after all of its dependencies) and resolves every input it can. Secrets are shown as <secret:name> and never read; outputs of earlier steps are shown as the expression that will read them. No side effects, ever.

            With --probe, each step's action is also asked, read-only, whether its work is already in place: the plan then says which steps are already done and what the others would change (a VM to create, drift to fix, drift that will not be fixed). This reads the secrets those steps use and contacts the hosts; it still changes nothing. When a probe fails (a secret not set, a host unreachable, a token refused), the plan is shown and the exit code is 1.

            With --json, a runbook that cannot be planned gives a JSON object with its diagnostics ("errors", "warnings", "diagnostics") instead of a plan.

            Examples:
              homelab plan runbooks/examples/demo-recovery.yaml
              homelab plan RUNBOOK --param etcd-snapshot=2026-11-01
              homelab plan RUNBOOK --drill --json > plan.json
              homelab plan RUNBOOK --check-secrets
              homelab plan RUNBOOK --inventory lab/out/inventory.yaml --probe
              homelab plan RUNBOOK --graph dot | dot -Tsvg > plan.svg

            Exit codes: 0 planned, 1 the runbook has errors or a probe failed, 2 the command line is wrong (including an unknown --param or a value outside its enum).
            """
    )

    @Argument(help: ArgumentHelp("The runbook file.", valueName: "runbook"))
    var runbook: String

    @OptionGroup var options: RunbookOptions

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set and not empty), always or never.")
    var color: ColorChoice = .auto

    @Flag(help: "Plan a DR drill: 'drill: only' steps run, 'drill: never' steps are skipped.")
    var drill = false

    @Flag(help: "Check that every secret can be read (variable set, file readable), without reading any value.")
    var checkSecrets = false

    @Flag(help: "Ask each step, read-only, whether its work is already done and what a run would change (reads secrets, contacts hosts).")
    var probe = false

    @Option(
        name: .customLong("trust-fingerprint"),
        help: ArgumentHelp(
            "With --probe: trust a Proxmox API certificate with this SHA-256 fingerprint although the inventory pins another or none. Repeatable.",
            valueName: "sha256"))
    var trustFingerprints: [String] = []

    @Flag(help: "Print the plan as JSON (schema homelab.plan/v1, see docs/plan-json.md).")
    var json = false

    @Option(help: ArgumentHelp("Print the step graph instead: dot (Graphviz) or mermaid.", valueName: "format"))
    var graph: PlanGraphRenderer.Format?

    func validate() throws {
        if json && graph != nil { throw ValidationError("--json and --graph cannot be used together") }
        if probe && graph != nil { throw ValidationError("--probe and --graph cannot be used together") }
    }

    func run() async throws {
        let compiler = RunbookCompiler(registry: HomelabRegistry.make(trust: FingerprintTrust(trusted: trustFingerprints)))
        let compiled = compiler.compile(
            path: runbook, inventory: options.inventory, storage: options.storage, options: PlanOptions(params: options.parsedParams, isDrill: drill))
        var diagnostics = compiled.diagnostics
        if checkSecrets, let loaded = compiled.loaded { diagnostics.append(contentsOf: SecretCheck.check(loaded.runbook)) }
        guard var plan = compiled.plan, let loaded = compiled.loaded, !diagnostics.hasErrors else {
            // A script reading --json gets JSON either way, not an empty standard output.
            if json {
                Terminal.out(JSONWriter.pretty(.map(DiagnosticRenderer.jsonFields(diagnostics))) + "\n")
            } else {
                Terminal.report(diagnostics, color: color)
            }
            throw ExitCode(ExitStatus.failing(diagnostics))
        }
        Terminal.report(diagnostics, color: color)
        if probe { plan.probes = await PlanProber(loaded: loaded, registry: compiler.registry).probe(plan) }
        if json {
            Terminal.out(PlanJSONRenderer.render(plan))
        } else if let graph {
            Terminal.out(PlanGraphRenderer.render(plan, as: graph))
        } else {
            Terminal.out(PlanTextRenderer.render(plan, style: Terminal.style(color, for: STDOUT_FILENO)))
        }
        // A probe that failed (no token, host unreachable) is what the run would meet too: the
        // plan is shown, and the exit code says it is not a clean bill of health.
        let failed = plan.probes.values.count { $0.state == .failed }
        if failed > 0 {
            Terminal.err("error: \(failed) of \(plan.probes.count) probes failed; a run would meet the same problems (see 'probe failed:' in the plan)\n")
        }
        // Done: leave without tearing down the plan object by object (a tenth of the time of
        // a 10,000-step plan goes to freeing memory the process is about to give back whole).
        Foundation.exit(failed > 0 ? ExitStatus.diagnostics : ExitStatus.success)
    }
}

extension PlanGraphRenderer.Format: ExpressibleByArgument {}
