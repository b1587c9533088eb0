import Testing

@testable import HomelabCore

@Suite struct AliasGuardTests {
    @Test func quietWithoutAliases() {
        #expect(AliasGuard.complexKeyWithAliases(in: "? a\n: b\n[x]: 1\n") == nil, "complex keys alone are Yams' business")
        #expect(AliasGuard.complexKeyWithAliases(in: "a: 2 * 3\nb: '*x'\n") == nil, "a '*' that is not an alias")
    }

    @Test func quietWhenAliasesAreOnlyValues() {
        #expect(AliasGuard.complexKeyWithAliases(in: "a: &a [1]\nb: *a\nc: [*a, *a]\nd: { e: *a }\n") == nil)
    }

    @Test(arguments: [
        ("a: &a [1]\n? *a\n: 1\n", 2, 1),
        ("a: &a [1]\nb:\n  *a : 1\n", 3, 3),
        ("a: &a [1]\n[*a, 2]: 1\n", 2, 7),
        ("a: &a [1]\nb: { *a: 1 }\n", 2, 6),
        ("a: &a [1]\nb: *a\nc:\n- ? x\n", 4, 3),
    ])
    func findsComplexKeysWhenAliasesAreUsed(_ text: String, _ line: Int, _ column: Int) {
        let found = AliasGuard.complexKeyWithAliases(in: text)
        #expect(found?.line == line && found?.column == column)
    }
}
