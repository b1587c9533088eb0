import Testing

@testable import HomelabCore

@Suite struct ExpressionParserTests {
    func parse(_ text: String) throws(ExpressionParser.Failure) -> Template {
        try ExpressionParser.parseTemplate(text)
    }

    @Test func plainTextIsALiteral() throws {
        let template = try parse("no expressions here")
        #expect(template.isLiteral)
        #expect(template.parts == [.text("no expressions here")])
    }

    @Test func aWholeExpressionKeepsItsType() throws {
        let template = try parse("${inventory.talos.nodes[0].ip}")
        #expect(template.isSingleExpression)
        #expect(template.paths == [Path(root: "inventory", segments: [.key("talos"), .key("nodes"), .index(0), .key("ip")], offset: 2)])
    }

    @Test func interpolationKeepsTextAndOffsets() throws {
        let template = try parse("vm ${item.vmid} on ${params.node}")
        #expect(!template.isSingleExpression)
        #expect(template.paths.map(\.description) == ["item.vmid", "params.node"])
        #expect(template.paths.map(\.offset) == [5, 21])
    }

    @Test func hyphenatedNamesAndQuotedKeys() throws {
        let template = try parse("${steps.etcd-snapshot.outputs.path} ${inventory['odd key'].x}")
        #expect(template.paths[0].stepID == "etcd-snapshot")
        #expect(template.paths[1].segments == [.key("odd key"), .key("x")])
    }

    @Test func doubleDollarEscapes() throws {
        let template = try parse("echo $${HOME} ${params.x}")
        #expect(template.parts.first == .text("echo ${HOME} "))
        #expect(template.paths.count == 1)
    }

    @Test func comparisonsAndNegation() throws {
        let template = try parse("${!params.a == 'x'}")
        guard case .expression(let expression, _) = template.parts[0] else {
            Issue.record("expected an expression")
            return
        }
        #expect(expression == .equals(.not(.path(Path(root: "params", segments: [.key("a")], offset: 3))), .literal(.string("x"))))
    }

    @Test(arguments: [
        ("${params.x", 0, "unterminated '${': missing '}'"),
        ("${}", 0, "empty expression '${}'"),
        ("a ${params.}", 11, "expected a name after '.' in 'params.'"),
        ("${params.x + 1}", 11, "unexpected '+' in expression; expected '}'"),
        ("${nodes[-1]}", 8, "an index must be a whole number of at least 0 or a quoted key"),
        ("${'open}", 2, "unterminated string in expression"),
        ("${@x}", 2, "unexpected '@' in expression; expected a name such as params.x, a quoted string or a number"),
    ])
    func reportsMistakesAtTheirOffset(_ text: String, _ offset: Int, _ message: String) {
        #expect(throws: ExpressionParser.Failure(offset: offset, message: message)) { try parse(text) }
    }
}
