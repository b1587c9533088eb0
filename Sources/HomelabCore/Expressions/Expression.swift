/// The small expression language of `${...}`: paths into params, inventory, secrets, step
/// outputs and the for-each item, literals, `!`, `==` and `!=`. Deliberately no arithmetic,
/// no calls: a runbook describes what to do, it is not a program.
public indirect enum Expression: Sendable, Equatable {
    case path(Path)
    case literal(Value)
    case not(Expression)
    case equals(Expression, Expression)
    case notEquals(Expression, Expression)

    /// Every path the expression reads.
    public var paths: [Path] {
        switch self {
        case .path(let path): return [path]
        case .literal: return []
        case .not(let inner): return inner.paths
        case .equals(let a, let b), .notEquals(let a, let b): return a.paths + b.paths
        }
    }
}

/// `inventory.talos.nodes[0].ip`: a root name followed by keys and indexes.
public struct Path: Sendable, Equatable, CustomStringConvertible {
    public enum Segment: Sendable, Equatable, CustomStringConvertible {
        case key(String)
        case index(Int)

        public var description: String {
            switch self {
            case .key(let key): return "." + key
            case .index(let index): return "[\(index)]"
            }
        }
    }

    public var root: String
    public var segments: [Segment]
    /// Column offset of the path within the scalar that holds it, for diagnostics.
    public var offset: Int
    /// Column offset of each segment (its `.` or `[`), so an error can point at the bad part.
    public var segmentOffsets: [Int]

    public init(root: String, segments: [Segment] = [], offset: Int = 0, segmentOffsets: [Int] = []) {
        self.root = root
        self.segments = segments
        self.offset = offset
        self.segmentOffsets = segmentOffsets
    }

    /// Where segment `index` starts (the path's start when unknown).
    public func offset(ofSegment index: Int) -> Int {
        index < segmentOffsets.count ? segmentOffsets[index] : offset
    }

    public static func == (lhs: Path, rhs: Path) -> Bool {
        lhs.root == rhs.root && lhs.segments == rhs.segments && lhs.offset == rhs.offset
    }

    public var description: String { root + segments.map(\.description).joined() }

    /// The path as far as `count` segments.
    public func prefix(_ count: Int) -> String {
        root + segments.prefix(count).map(\.description).joined()
    }

    /// For `steps.X.outputs.Y...`: the step id X.
    public var stepID: String? {
        guard root == "steps", case .key(let id)? = segments.first else { return nil }
        return id
    }
}

/// A string that may contain `${...}`. A template that is exactly one `${...}` keeps the type
/// of what it reads (a list stays a list); anything else is string interpolation.
public struct Template: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case text(String)
        case expression(Expression, source: String)
    }

    public var parts: [Part]

    public var isSingleExpression: Bool {
        if parts.count == 1, case .expression = parts[0] { return true }
        return false
    }

    public var isLiteral: Bool {
        parts.allSatisfy { if case .text = $0 { return true } else { return false } }
    }

    public var paths: [Path] {
        parts.flatMap { part -> [Path] in
            if case .expression(let expression, _) = part { return expression.paths }
            return []
        }
    }
}
