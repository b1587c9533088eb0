import Testing

@testable import HomelabCore

@Suite struct EvaluatorTests {
    let inventory = Value.map([
        ("talos", .map([("nodes", .list([.map([("name", .string("cp-1")), ("ip", .string("10.0.0.21"))])]))]))
    ])

    func evaluator(item: Resolved? = nil) -> Evaluator {
        Evaluator(
            scope: Scope(
                params: ["snapshot": .string("latest"), "later": nil, "count": .int(3)],
                inventory: inventory, secrets: ["token"],
                stepOutputs: ["etcd": ["path"], "vm": ["vmid"], "mystery": nil], item: item, step: "vm"))
    }

    func scalar(_ text: String) -> YAMLNode {
        YAMLNode(.scalar(.init(text: text)), at: SourceLocation(file: "r.yaml", line: 3, column: 10))
    }

    func resolve(_ text: String, item: Resolved? = nil) -> (Resolved, [String]) {
        var evaluator = evaluator(item: item)
        let resolved = evaluator.resolve(scalar(text))
        return (resolved, evaluator.diagnostics.sorted.map(\.rendered))
    }

    @Test func wholeExpressionsKeepTheirType() {
        #expect(resolve("${params.count}").0 == .value(.int(3)))
        #expect(resolve("${inventory.talos.nodes}").0.value?.kindName == "a list")
    }

    @Test func interpolationMakesText() {
        #expect(resolve("ip=${inventory.talos.nodes[0].ip} n=${params.count}").0 == .value(.string("ip=10.0.0.21 n=3")))
    }

    @Test func secretsAreMaskedAndRecorded() {
        var evaluator = evaluator()
        #expect(evaluator.resolve(scalar("Bearer ${secrets.token}")) == .secret("Bearer <secret:token>"))
        #expect(evaluator.secretsRead == ["token"])
    }

    @Test func stepOutputsAndUnsetParamsAreDeferred() {
        #expect(resolve("${steps.etcd.outputs.path}").0 == .deferred("${steps.etcd.outputs.path}"))
        #expect(resolve("from ${steps.etcd.outputs.path}").0 == .deferred("from ${steps.etcd.outputs.path}"))
        #expect(resolve("${params.later}").0 == .deferred("${params.later}"))
    }

    @Test func conditions() {
        #expect(resolve("${params.snapshot == 'latest'}").0 == .value(.bool(true)))
        #expect(resolve("${params.count != 3}").0 == .value(.bool(false)))
        #expect(resolve("${!params.snapshot}").0 == .value(.bool(false)))
        #expect(resolve("${params.later == 'x'}").0 == .deferred("${params.later == 'x'}"))
    }

    @Test func itemInsideForEach() {
        let item = Resolved.value(.map([("name", .string("cp-1"))]))
        #expect(resolve("${item.name}", item: item).0 == .value(.string("cp-1")))
    }

    @Test(arguments: [
        ("${params.snapshto}", "r.yaml:3:12: error: unknown param 'snapshto' (did you mean 'snapshot'?)"),
        ("${secrets.tokn}", "r.yaml:3:12: error: unknown secret 'tokn' (did you mean 'token'?)"),
        ("${secrets.token.x}", "r.yaml:3:12: error: secret 'token' is a single value; 'secrets.token.x' cannot read inside it"),
        ("${inventory.talos.nodez}", "r.yaml:3:28: error: the inventory has no key 'nodez' under 'inventory.talos' (did you mean 'nodes'?)"),
        ("${inventory.talos.nodes[4]}", "r.yaml:3:33: error: index 4 is out of range: 'inventory.talos.nodes' has 1 item"),
        ("${inventory.talos.nodes.ip}", "r.yaml:3:34: error: cannot read '.ip' of 'inventory.talos.nodes': it is a list"),
        ("${steps.etcd.outputs.paht}", "r.yaml:3:12: error: step 'etcd' has no output 'paht' (did you mean 'path'?); it declares: path"),
        ("${steps.etc.outputs.path}", "r.yaml:3:12: error: unknown step 'etc' in 'steps.etc.outputs.path' (did you mean 'etcd'?)"),
        ("${steps.etcd.path}", "r.yaml:3:12: error: read a step's result as '${steps.etcd.outputs.NAME}', not '${steps.etcd.path}'"),
        ("${steps.vm.outputs.vmid}", "r.yaml:3:12: error: step 'vm' cannot read its own outputs"),
        ("${item.name}", "r.yaml:3:12: error: 'item' is only defined in a step with 'for-each'"),
        (
            "${parms.x}",
            "r.yaml:3:12: error: unknown name 'parms' in expression (did you mean 'params'?); expressions start with params, inventory, storage, secrets, steps or item"
        ),
        (
            "nodes: ${inventory.talos.nodes}",
            "r.yaml:3:19: error: cannot put a list or mapping into text: '${inventory.talos.nodes}' must stand alone as the whole value"
        ),
        ("${params.snapshot", "r.yaml:3:10: error: invalid expression: unterminated '${': missing '}'"),
    ])
    func reportsMistakesWhereTheyAreWritten(_ text: String, _ message: String) {
        #expect(resolve(text).1 == [message])
    }

    @Test func outputsOfAnUnknownActionAreNotChecked() {
        #expect(resolve("${steps.mystery.outputs.anything}").1.isEmpty)
    }
}
