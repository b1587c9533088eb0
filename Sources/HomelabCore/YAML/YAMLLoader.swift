import Foundation
import Yams

/// Reads a YAML file into a located tree, refusing oversized files, alias bombs and runaway
/// nesting with a clear diagnostic rather than a hang or a crash.
public struct YAMLLoader: Sendable {
    public var limits: LoaderLimits

    public init(limits: LoaderLimits = .default) {
        self.limits = limits
    }

    /// Loads the file at `path`; `displayPath` is how diagnostics name it.
    public func load(path: String, displayPath: String? = nil) -> (YAMLNode?, Diagnostics) {
        let name = displayPath ?? path
        var diagnostics = Diagnostics()
        // A directory opens for reading on Linux and reads as nothing: ask before opening, or it
        // would be reported as an empty file.
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        guard exists, !isDirectory.boolValue, let handle = FileHandle(forReadingAtPath: path) else {
            let reason = !exists ? "no such file" : (isDirectory.boolValue ? "it is a directory" : "permission denied")
            diagnostics.error(.file(name), "cannot read file: \(reason)")
            return (nil, diagnostics)
        }
        defer { try? handle.close() }
        // Read one byte past the limit, so an oversized file is detected without reading it all.
        let data = (try? handle.read(upToCount: limits.maxBytes + 1)) ?? Data()
        if data.count > limits.maxBytes {
            diagnostics.error(.file(name), "file is larger than the \(limits.maxBytes >> 20) MiB limit for runbooks and inventories")
            return (nil, diagnostics)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.error(.file(name), "file is not valid UTF-8 text")
            return (nil, diagnostics)
        }
        return load(text: text, file: name)
    }

    /// Loads YAML text; `file` names it in diagnostics.
    public func load(text: String, file: String) -> (YAMLNode?, Diagnostics) {
        var diagnostics = Diagnostics()
        if text.utf8.count > limits.maxBytes {
            diagnostics.error(.file(file), "file is larger than the \(limits.maxBytes >> 20) MiB limit for runbooks and inventories")
            return (nil, diagnostics)
        }
        if let (line, column) = AliasGuard.complexKeyWithAliases(in: text) {
            diagnostics.error(
                SourceLocation(file: file, line: line, column: column),
                "complex mapping keys ('? key', '[..]: ', '*alias: ') cannot be used in a file with aliases; write keys as plain strings")
            return (nil, diagnostics)
        }
        let root: Node?
        do {
            // No implicit tag rules: homelab types plain scalars itself (YAML 1.2 core), and
            // Yams' regular-expression resolver is a fifth of the load time of a large runbook.
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            for diagnostic in YAMLErrorText.diagnostics(for: error, file: file, limits: limits) { diagnostics.append(diagnostic) }
            return (nil, diagnostics)
        } catch {
            diagnostics.error(.file(file), "cannot parse YAML: \(error)")
            return (nil, diagnostics)
        }
        guard let root else {
            diagnostics.error(.file(file), "file is empty")
            return (nil, diagnostics)
        }
        var builder = TreeBuilder(file: file, limits: limits, sourceBytes: text.utf8.count)
        do {
            return (try builder.build(root, depth: 0), diagnostics)
        } catch {
            diagnostics.append(error.diagnostic)
            return (nil, diagnostics)
        }
    }

    /// Loads every document of a multi-document stream (`---` separated), each with where it
    /// starts: Kubernetes manifests may hold several, and the manifest rules report the second
    /// one at its start instead of refusing the whole file as a syntax error.
    public func loadDocuments(text: String, file: String) -> ([YAMLDocument], Diagnostics) {
        var diagnostics = Diagnostics()
        if text.utf8.count > limits.maxBytes {
            diagnostics.error(.file(file), "file is larger than the \(limits.maxBytes >> 20) MiB limit")
            return ([], diagnostics)
        }
        if let (line, column) = AliasGuard.complexKeyWithAliases(in: text) {
            diagnostics.error(
                SourceLocation(file: file, line: line, column: column),
                "complex mapping keys ('? key', '[..]: ', '*alias: ') cannot be used in a file with aliases; write keys as plain strings")
            return ([], diagnostics)
        }
        var documents: [YAMLDocument] = []
        // One budget for the whole stream: several documents do not multiply what aliases may add.
        var builder = TreeBuilder(file: file, limits: limits, sourceBytes: text.utf8.count)
        let markers = DocumentMarkers(text: text)
        do {
            let parser = try Parser(yaml: text, resolver: .basic)
            var previousLine = 0
            while let root = try parser.nextRoot() {
                let node = try builder.build(root, depth: 0)
                let start = markers.start(before: node.location.line, after: previousLine).map { SourceLocation(file: file, line: $0, column: 1) }
                documents.append(YAMLDocument(root: node, start: start ?? node.location))
                previousLine = node.location.line
            }
        } catch let error as YamlError {
            for diagnostic in YAMLErrorText.diagnostics(for: error, file: file, limits: limits) { diagnostics.append(diagnostic) }
            return ([], diagnostics)
        } catch let refusal as TreeBuilder.Refusal {
            diagnostics.append(refusal.diagnostic)
            return ([], diagnostics)
        } catch {
            diagnostics.error(.file(file), "cannot parse YAML: \(error)")
            return ([], diagnostics)
        }
        return (documents, diagnostics)
    }
}

/// One document of a YAML stream: its tree and where it starts (its `---` line when it has one).
public struct YAMLDocument: Sendable {
    public var root: YAMLNode
    public var start: SourceLocation
}

/// The lines that start a document (`---` alone or followed by a blank), found in the text
/// because the composed tree does not keep them.
private struct DocumentMarkers {
    let lines: [Int]

    init(text: String) {
        var found: [Int] = []
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            if line == "---" || line.hasPrefix("--- ") || line.hasPrefix("---\t") || line == "---\r" { found.append(number) }
        }
        lines = found
    }

    /// The last marker at or before `line` and after `previous`.
    func start(before line: Int, after previous: Int) -> Int? {
        lines.last { $0 <= line && $0 > previous }
    }
}

/// Converts Yams' tree into `YAMLNode`s, counting every node it produces. Yams shares the
/// storage of aliased nodes (and forgets which nodes were anchors), so the bomb only goes off in
/// a walk like this one. Text without aliases cannot describe more nodes than it has bytes, so
/// producing more than that plus a small allowance means aliases are multiplying the tree.
private struct TreeBuilder {
    struct Refusal: Error {
        let location: SourceLocation
        let message: String
        var diagnostic: Diagnostic { .error(location, message) }
    }

    let file: String
    let limits: LoaderLimits
    let aliasBudget: Int
    var nodes = 0
    /// The top-level key whose value is being built: where an alias bomb is reported.
    var topLevelKey: SourceLocation?

    init(file: String, limits: LoaderLimits, sourceBytes: Int) {
        self.file = file
        self.limits = limits
        self.aliasBudget = sourceBytes + limits.maxAliasExpansion
    }

    mutating func build(_ node: Node, depth: Int) throws(Refusal) -> YAMLNode {
        let location = node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? .file(file)
        nodes += 1
        if nodes > aliasBudget {
            throw Refusal(
                location: topLevelKey ?? location,
                message:
                    "aliases in this value expand the document by more than \(limits.maxAliasExpansion) nodes; refusing a possible alias bomb ('billion laughs')"
            )
        }
        if nodes > limits.maxNodes {
            throw Refusal(location: location, message: "document has more than \(limits.maxNodes) nodes")
        }
        if depth > limits.maxDepth {
            throw Refusal(location: location, message: YAMLErrorText.nestingMessage(limits))
        }
        switch node {
        case .scalar(let scalar):
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
            let plain = scalar.style == .plain || scalar.style == .any
            return YAMLNode(.scalar(.init(text: scalar.string, isPlain: plain, isQuoted: quoted)), at: location)
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                items.append(try build(item, depth: depth + 1))
            }
            return YAMLNode(.sequence(items), at: location)
        case .mapping(let mapping):
            var pairs: [YAMLNode.Pair] = []
            var merged: [YAMLNode.Pair] = []
            for (key, value) in mapping {
                if depth == 0 { topLevelKey = key.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } }
                let builtValue = try build(value, depth: depth + 1)
                if case .scalar(let k) = key, k.string == "<<", k.style == .plain {
                    merged += Self.mergeSources(builtValue)
                    continue
                }
                pairs.append(.init(key: try build(key, depth: depth + 1), value: builtValue))
            }
            // `<<: *defaults` merge keys: explicit keys win over merged ones.
            for pair in merged where !pairs.contains(where: { $0.key.string == pair.key.string }) {
                pairs.append(pair)
            }
            return YAMLNode(.mapping(pairs), at: location)
        case .alias:
            return YAMLNode(.scalar(.init(text: "")), at: location)
        }
    }

    private static func mergeSources(_ node: YAMLNode) -> [YAMLNode.Pair] {
        switch node.kind {
        case .mapping(let pairs): return pairs
        case .sequence(let items): return items.flatMap { $0.mapping ?? [] }
        case .scalar: return []
        }
    }
}
