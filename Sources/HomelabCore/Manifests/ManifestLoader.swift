import Foundation

/// Reads a repository's kubernetes/base and flux/apps into a `ManifestTree`. YAML syntax errors
/// are reported as they are for runbooks; the file is then skipped by the rules.
public struct ManifestLoader: Sendable {
    /// The directories directly under kubernetes/base that hold services instead of being one
    /// (the architecture's layout, section 4).
    public static let groups: Set<String> = ["monitoring", "security"]

    /// The repository root; diagnostics name files relative to it, prefixed with `root/` unless
    /// it is `.`.
    public let root: String
    private let loader = YAMLLoader()

    public init(root: String) {
        self.root = root
    }

    public func load(domain: String?) -> (ManifestTree, Diagnostics) {
        var tree = ManifestTree(domain: domain)
        var diagnostics = Diagnostics()
        let base = "kubernetes/base"
        if isDirectory(base) {
            for entry in entries(base) {
                let relative = base + "/" + entry
                if isDirectory(relative) {
                    let children = entries(relative)
                    let onlyDirectories = !children.isEmpty && children.allSatisfy { isDirectory(relative + "/" + $0) }
                    if onlyDirectories && Self.groups.contains(entry) {
                        for child in children {
                            tree.services.append(service(at: relative + "/" + child, into: &tree, &diagnostics))
                        }
                        continue
                    }
                    if Self.groups.contains(entry) {
                        // A group holds services only: its own YAML files are stray, its folders services.
                        for child in children {
                            let path = relative + "/" + child
                            if isDirectory(path) {
                                tree.services.append(service(at: path, into: &tree, &diagnostics))
                            } else if isYAML(child) {
                                tree.strayFiles.append(display(path))
                            }
                        }
                        continue
                    }
                    tree.services.append(service(at: relative, into: &tree, &diagnostics))
                } else if isYAML(entry) {
                    tree.strayFiles.append(display(relative))
                }
            }
        }
        if isDirectory("flux/apps") {
            for entry in entries("flux/apps") where isYAML(entry) && !isDirectory("flux/apps/" + entry) {
                let file = read("flux/apps/" + entry, &diagnostics)
                tree.apps.append(FluxApp(name: file.baseName, file: file))
            }
        }
        if isDirectory("kubernetes") {
            for path in yamlFiles(under: "kubernetes") where !path.hasPrefix(base + "/") {
                tree.otherFiles.append(read(path, &diagnostics))
            }
        }
        return (tree, diagnostics)
    }

    private func service(at relative: String, into tree: inout ManifestTree, _ diagnostics: inout Diagnostics) -> Service {
        var files: [ManifestFile] = []
        var readme: ReadmeFile?
        var other: [String] = []
        for entry in entries(relative) {
            let path = relative + "/" + entry
            if isDirectory(path) {
                tree.nestedDirectories.append(display(path))
            } else if isYAML(entry) {
                files.append(read(path, &diagnostics))
            } else if entry == "README.md" {
                readme = ReadmeFile(path: display(path), text: text(path) ?? "")
            } else {
                other.append(display(path))
            }
        }
        let name = (relative as NSString).lastPathComponent
        return Service(name: name, directory: display(relative), relativeDirectory: relative, files: files, readme: readme, otherFiles: other)
    }

    private func read(_ relative: String, _ diagnostics: inout Diagnostics) -> ManifestFile {
        let path = display(relative)
        let name = (relative as NSString).lastPathComponent
        guard let text = text(relative) else {
            diagnostics.error(.file(path), "cannot read file (not UTF-8 text, or unreadable)")
            return ManifestFile(path: path, name: name, text: "", documents: [], unreadable: true)
        }
        let (documents, problems) = loader.loadDocuments(text: text, file: path)
        diagnostics.append(contentsOf: problems)
        return ManifestFile(path: path, name: name, text: text, documents: documents, unreadable: problems.hasErrors)
    }

    private func display(_ relative: String) -> String {
        root == "." || root.isEmpty ? relative : (root.hasSuffix("/") ? root + relative : root + "/" + relative)
    }

    private func text(_ relative: String) -> String? {
        guard let data = FileManager.default.contents(atPath: display(relative)) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    private func entries(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: display(relative))) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    private func isDirectory(_ relative: String) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: display(relative), isDirectory: &flag) && flag.boolValue
    }

    private func isYAML(_ name: String) -> Bool { name.hasSuffix(".yaml") || name.hasSuffix(".yml") }

    private func yamlFiles(under relative: String) -> [String] {
        var found: [String] = []
        for entry in entries(relative) {
            let path = relative + "/" + entry
            if isDirectory(path) {
                found += yamlFiles(under: path)
            } else if isYAML(entry) {
                found.append(path)
            }
        }
        return found
    }
}
