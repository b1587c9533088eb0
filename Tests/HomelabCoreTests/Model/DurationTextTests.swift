import Testing

@testable import HomelabCore

@Suite struct DurationTextTests {
    @Test(arguments: [("500ms", 500), ("5s", 5_000), ("10m", 600_000), ("1h30m", 5_400_000), ("2d", 172_800_000)])
    func parses(_ text: String, _ milliseconds: Int64) {
        #expect(DurationText.parse(text) == .milliseconds(milliseconds))
    }

    @Test(arguments: [" 5s", "1h30m\t", "\u{00A0}2d\u{2003}", "5s "])
    func blanksAroundAreTrimmed(_ text: String) {
        #expect(DurationText.parse(text) != nil)
    }

    @Test(arguments: [
        "", "10", "m", "5 minutes", "1.5h", "-3s", "10x", "5S", "5 s", "5msx", "5é", "9223372036854775807d", "99999999999999999999s", "   ",
    ])
    func refuses(_ text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func formatsTheShortestSpelling() {
        #expect(DurationText.format(.seconds(5_400)) == "1h30m")
        #expect(DurationText.format(.milliseconds(250)) == "250ms")
        #expect(DurationText.format(.zero) == "0s")
    }
}
