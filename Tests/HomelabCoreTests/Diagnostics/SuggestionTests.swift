import Testing

@testable import HomelabCore

@Suite struct SuggestionTests {
    @Test func suggestsTheClosestName() {
        #expect(Suggestion.closest(to: "talos-confg", in: ["talos-config", "talos-vm", "etcd"]) == "talos-config")
        #expect(Suggestion.closest(to: "neds", in: RunbookKeys.step) == "needs")
        #expect(Suggestion.closest(to: "parms", in: Scope.roots) == "params")
    }

    @Test func staysQuietWhenNothingIsClose() {
        #expect(Suggestion.closest(to: "kubernetes", in: ["exec", "wait"]) == nil)
        #expect(Suggestion.hint(for: "x", in: []) == "")
    }

    @Test func editDistance() {
        #expect(Suggestion.editDistance("kitten", "sitting", limit: 5) == 3)
        #expect(Suggestion.editDistance("", "abc", limit: 5) == 3)
        #expect(Suggestion.editDistance("same", "same", limit: 1) == 0)
    }
}
