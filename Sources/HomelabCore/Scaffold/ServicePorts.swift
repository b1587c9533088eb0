/// A dependency's port, from its service.yaml: the `http` port when there is one, else the first
/// port that is not `metrics`.
enum ServicePorts {
    struct Port: Equatable {
        var port: Int
        /// The targetPort as written (a number or a container port's name).
        var target: YAMLText?
    }

    static func read(_ path: String) -> Port? {
        guard let root = YAMLLoader().load(path: path).0, let ports = root["spec"]?["ports"]?.sequence else { return nil }
        let chosen = ports.first { $0["name"]?.string == "http" } ?? ports.first { $0["name"]?.string != "metrics" }
        guard let chosen, let text = chosen["port"]?.string, let number = Int(text) else { return nil }
        guard let target = chosen["targetPort"], let targetText = target.string else { return Port(port: number, target: .int(number)) }
        return Port(port: number, target: Int(targetText).map(YAMLText.int) ?? .string(targetText))
    }
}
