/// Liveness and readiness probes with the architecture's standard timing (pattern 8), on the
/// container's `http` port.
enum ServiceProbes {
    static let livenessPath = "/health"
    static let readinessPath = "/ready"

    static var liveness: YAMLText {
        probe(path: livenessPath, initialDelay: 30, period: 10, timeout: 5)
    }

    static var readiness: YAMLText {
        probe(path: readinessPath, initialDelay: 10, period: 5, timeout: 3)
    }

    private static func probe(path: String, initialDelay: Int, period: Int, timeout: Int) -> YAMLText {
        .map([
            "httpGet": .map(["path": .string(path), "port": .string("http")]),
            "initialDelaySeconds": .int(initialDelay),
            "periodSeconds": .int(period),
            "timeoutSeconds": .int(timeout),
            "failureThreshold": .int(3),
        ])
    }
}
