import Testing

@testable import HomelabCore

@Suite struct TextStyleTests {
    /// no-color.org: only a NO_COLOR that is set and not empty turns colour off.
    @Test(arguments: [
        ([String: String](), true), (["NO_COLOR": ""], true), (["NO_COLOR": "1"], false), (["NO_COLOR": "0"], false),
        (["TERM": "dumb"], false),
    ])
    func colourOnATerminalFollowsNoColor(environment: [String: String], enabled: Bool) {
        #expect(TextStyle.automatic(isTerminal: true, environment: environment).isEnabled == enabled)
    }

    @Test func neverColourWhenNotATerminal() {
        #expect(!TextStyle.automatic(isTerminal: false, environment: [:]).isEnabled)
    }
}
