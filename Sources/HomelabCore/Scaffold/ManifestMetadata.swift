/// The metadata every generated object carries: its name, namespace and the two mandatory
/// labels (pattern 2).
enum ManifestMetadata {
    static func labels(_ service: String) -> YAMLText {
        .map(["app": .string(service), "managed-by": .string("flux")])
    }

    static func metadata(name: String, service: String, namespace: String = "default", annotations: [YAMLText.Entry] = []) -> YAMLText {
        var entries = [YAMLText.Entry("name", .string(name)), .init("namespace", .string(namespace)), .init("labels", labels(service))]
        if !annotations.isEmpty { entries.append(.init("annotations", .map(annotations))) }
        return .map(entries)
    }

    static func header(apiVersion: String, kind: String) -> [YAMLText.Entry] {
        [.init("apiVersion", .string(apiVersion)), .init("kind", .string(kind))]
    }

    static func matchApp(_ app: String) -> YAMLText {
        .map(["matchLabels": .map(["app": .string(app)])])
    }
}
