/// `homelab service add`: checks the request and the repository, then generates. Every refusal
/// happens here, before a single file is written.
public enum ServiceAdd {
    public static func plan(_ request: ServiceRequest, in repository: ScaffoldRepository) throws(ScaffoldError) -> [ScaffoldFile] {
        var request = request
        try ServiceRequestCheck.check(request)
        if let existing = repository.existing(request.name) { throw .serviceExists(name: request.name, path: existing) }
        var seen: Set<String> = []
        request.dependsOn = request.dependsOn.filter { seen.insert($0).inserted }
        var dependencies: [ServiceDependency] = []
        // Platform apps only order Flux: a workload of that name would need a waiter, so it is
        // left to an explicit --depends-on.
        for name in PlatformDependencies.names(for: request) where !seen.contains(name) {
            if let platform = try? repository.dependency(name), !platform.isWorkload { dependencies.append(platform) }
        }
        for name in request.dependsOn { dependencies.append(try repository.dependency(name)) }
        let domain = request.exposed ? try repository.domain() : try? repository.domain()
        return ServiceScaffold.files(request, ScaffoldContext(domain: domain, dependencies: dependencies))
    }

    /// Plans, then writes; returns what was written.
    @discardableResult
    public static func run(_ request: ServiceRequest, in repository: ScaffoldRepository) throws(ScaffoldError) -> [ScaffoldFile] {
        let files = try plan(request, in: repository)
        try ScaffoldWriter.write(files, under: repository.root)
        return files
    }
}
