/// Parses templates (`text ${expr} text`, with `$${` for a literal `${`) and the expressions in them.
/// Offsets are counted in Unicode scalars from the start of the template, as YAML columns are.
public struct ExpressionParser {
    public struct Failure: Error, Equatable {
        public var offset: Int
        public var message: String
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    private init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    public static func parseTemplate(_ text: String) throws(Failure) -> Template {
        guard text.mayHoldExpression else { return Template(parts: [.text(text)]) }
        var parser = ExpressionParser(text)
        return try parser.template()
    }

    private mutating func template() throws(Failure) -> Template {
        var parts: [Template.Part] = []
        var text = ""
        while position < scalars.count {
            if peek("$${") {
                text += "${"
                position += 3
            } else if peek("${") {
                let start = position
                position += 2
                if !text.isEmpty {
                    parts.append(.text(text))
                    text = ""
                }
                skipSpaces()
                if peek("}") { throw Failure(offset: start, message: "empty expression '${}'") }
                let expression = try self.expression()
                skipSpaces()
                guard peek("}") else {
                    if position >= scalars.count {
                        throw Failure(offset: start, message: "unterminated '${': missing '}'")
                    }
                    throw Failure(offset: position, message: "unexpected '\(scalars[position])' in expression; expected '}'")
                }
                position += 1
                parts.append(.expression(expression, source: String(String.UnicodeScalarView(scalars[start..<position]))))
            } else {
                text.unicodeScalars.append(scalars[position])
                position += 1
            }
        }
        if !text.isEmpty || parts.isEmpty { parts.append(.text(text)) }
        return Template(parts: parts)
    }

    private mutating func expression() throws(Failure) -> Expression {
        let left = try unary()
        skipSpaces()
        if peek("==") {
            position += 2
            return .equals(left, try unary())
        }
        if peek("!=") {
            position += 2
            return .notEquals(left, try unary())
        }
        return left
    }

    private mutating func unary() throws(Failure) -> Expression {
        skipSpaces()
        if peek("!") && !peek("!=") {
            position += 1
            return .not(try unary())
        }
        return try primary()
    }

    private mutating func primary() throws(Failure) -> Expression {
        skipSpaces()
        guard position < scalars.count else { throw Failure(offset: position, message: "expression ends too early") }
        let c = scalars[position]
        if c == "(" {
            position += 1
            let inner = try expression()
            skipSpaces()
            guard peek(")") else { throw Failure(offset: position, message: "missing ')' in expression") }
            position += 1
            return inner
        }
        if c == "'" || c == "\"" { return .literal(.string(try quoted())) }
        if c == "-" || ("0"..."9").contains(c) { return .literal(try number()) }
        guard Self.isNameStart(c) else {
            throw Failure(offset: position, message: "unexpected '\(c)' in expression; expected a name such as params.x, a quoted string or a number")
        }
        let start = position
        let root = name()
        switch root {
        case "true": return .literal(.bool(true))
        case "false": return .literal(.bool(false))
        case "null": return .literal(.null)
        default: break
        }
        var segments: [Path.Segment] = []
        var offsets: [Int] = []
        while position < scalars.count {
            if scalars[position] == "." || scalars[position] == "[" { offsets.append(position) }
            if scalars[position] == "." {
                position += 1
                guard position < scalars.count, Self.isNameStart(scalars[position]) || ("0"..."9").contains(scalars[position]) else {
                    throw Failure(offset: position, message: "expected a name after '.' in '\(String(String.UnicodeScalarView(scalars[start..<position])))'")
                }
                segments.append(.key(name()))
            } else if scalars[position] == "[" {
                position += 1
                skipSpaces()
                let indexStart = position
                if position < scalars.count, scalars[position] == "'" || scalars[position] == "\"" {
                    segments.append(.key(try quoted()))
                } else if case .int(let index) = try number(), index >= 0 {
                    segments.append(.index(index))
                } else {
                    throw Failure(offset: indexStart, message: "an index must be a whole number of at least 0 or a quoted key")
                }
                skipSpaces()
                guard peek("]") else { throw Failure(offset: position, message: "missing ']' in path") }
                position += 1
            } else {
                break
            }
        }
        return .path(Path(root: root, segments: segments, offset: start, segmentOffsets: offsets))
    }

    private mutating func name() -> String {
        var out = ""
        while position < scalars.count, Self.isNameStart(scalars[position]) || scalars[position] == "-" || ("0"..."9").contains(scalars[position]) {
            out.unicodeScalars.append(scalars[position])
            position += 1
        }
        return out
    }

    private mutating func quoted() throws(Failure) -> String {
        let quote = scalars[position]
        let start = position
        position += 1
        var out = ""
        while position < scalars.count, scalars[position] != quote {
            if scalars[position] == "\\", position + 1 < scalars.count { position += 1 }
            out.unicodeScalars.append(scalars[position])
            position += 1
        }
        guard position < scalars.count else { throw Failure(offset: start, message: "unterminated string in expression") }
        position += 1
        return out
    }

    private mutating func number() throws(Failure) -> Value {
        let start = position
        var text = ""
        if position < scalars.count, scalars[position] == "-" {
            text = "-"
            position += 1
        }
        while position < scalars.count, ("0"..."9").contains(scalars[position]) || scalars[position] == "." {
            text.unicodeScalars.append(scalars[position])
            position += 1
        }
        if let int = Int(text) { return .int(int) }
        if let double = Double(text) { return .double(double) }
        throw Failure(offset: start, message: "'\(text)' is not a number")
    }

    private mutating func skipSpaces() {
        while position < scalars.count, scalars[position] == " " || scalars[position] == "\t" { position += 1 }
    }

    private func peek(_ literal: String) -> Bool {
        var index = position
        for scalar in literal.unicodeScalars {
            guard index < scalars.count, scalars[index] == scalar else { return false }
            index += 1
        }
        return true
    }

    private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_"
    }
}
