@testable import HomelabCore

/// Runs what `homelab validate` runs on one file: load, static checks, and a plan without
/// requiring params. Returns every diagnostic.
func check(_ path: String, registry: ActionRegistry = Fixtures.registry, options: PlanOptions = PlanOptions(requireParams: false)) -> Diagnostics {
    RunbookCompiler(registry: registry).compile(path: path, options: options).diagnostics
}

/// Diagnostics as `line:column: severity: message`, without the file name.
/// Paths inside messages are made relative to the repository, so that expectations do not
/// depend on where it is checked out.
func rendered(_ diagnostics: Diagnostics) -> [String] {
    let repository = GoldenPlanTests.repository.path + "/"
    return diagnostics.sorted.map {
        "\($0.location.line):\($0.location.column): \($0.severity.rawValue): \($0.message.replacingOccurrences(of: repository, with: ""))"
    }
}
