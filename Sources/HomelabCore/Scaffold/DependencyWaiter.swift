/// The init container that holds the pod until a dependency's Service answers (pattern 12).
enum DependencyWaiter {
    static let image = "busybox:1.37.0"

    static func containerName(_ dependency: String) -> String {
        "wait-for-\(dependency)"
    }

    static func container(for dependency: ServiceDependency) -> YAMLText {
        let script = """
            until nc -z -w 2 \(dependency.name) \(dependency.servicePort); do
              echo "waiting for \(dependency.name):\(dependency.servicePort)"
              sleep 2
            done

            """
        return .map([
            "name": .string(containerName(dependency.name)),
            "image": .string(image),
            "imagePullPolicy": .string("IfNotPresent"),
            "command": .list([.string("sh"), .string("-c"), .block(script)]),
            "resources": ResourceTier.waiter.yaml,
        ])
    }
}
