import Foundation

/// `manifests.validate`: the recovery's preflight. It checks the repository's kubernetes/ and
/// flux/ trees against the manifest rules (docs/validate.md) and fails with every violation, so a
/// runbook can put it before the step that bootstraps Flux: Flux must never be pointed at a tree
/// that breaks the rules. Read-only, so it runs again on every run and resume: the tree may have
/// changed since the last one.
public struct ManifestsValidate: Action {
    public init() {}

    /// How many violations the error lists before it says how many more there are; the rest is
    /// one `homelab validate` away.
    static let shown = 20

    public let schema = ActionSchema(
        name: "manifests.validate",
        summary: "Check the repository's kubernetes/ and flux/ manifests against the manifest rules; fail with every violation.",
        inputs: [
            InputSpec("root", .string, default: .string("."), "The repository holding kubernetes/, flux/ and inventory.yaml (relative to where homelab runs).")
        ],
        outputs: [
            OutputSpec("services", "How many services kubernetes/base holds."),
            OutputSpec("apps", "How many Flux apps flux/apps holds."),
            OutputSpec("waivers", "How many rule waivers were honoured."),
        ],
        idempotent: true
    )

    public func run(_ call: ActionCall, context: ActionContext) async throws -> [String: Value] {
        let root = call.string("root") ?? "."
        guard ManifestValidator.hasManifests(root: root) else {
            throw ActionError("'\(root)' has neither kubernetes/ nor flux/: give 'root' the repository the cluster is built from")
        }
        let report = ManifestValidator.validate(root: root, domain: ManifestValidator.domain(root: root))
        let errors = report.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else {
            let listed = errors.prefix(Self.shown).map { "  " + $0.rendered }
            let more = errors.count > Self.shown ? ["  ... and \(errors.count - Self.shown) more: run 'homelab validate \(root)'"] : []
            throw ActionError(
                (["\(errors.count) manifest rule violation\(errors.count == 1 ? "" : "s") in \(root); fix them before Flux applies this tree:"] + listed + more)
                    .joined(separator: "\n"))
        }
        context.report("\(report.serviceCount) services, \(report.appCount) Flux apps: every manifest rule holds")
        return ["services": .int(report.serviceCount), "apps": .int(report.appCount), "waivers": .int(report.waivers.count)]
    }

    public func describe(_ inputs: [String: Value]) -> String {
        "checks the manifests of \(inputs["root"]?.text ?? ".") against the manifest rules (read-only)"
    }
}
