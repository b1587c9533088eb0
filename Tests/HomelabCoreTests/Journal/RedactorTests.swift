import Testing

@testable import HomelabCore

@Suite struct RedactorTests {
    @Test func aLongSecretIsReplacedWhereverItAppears() {
        var redactor = Redactor()
        redactor.add("s3cr3t-token", name: "token")
        #expect(redactor.redact("Authorization: xs3cr3t-tokenx") == "Authorization: x<secret:token>x")
    }

    /// A one-letter secret `e` turned every `connection` into `conn<secret:canary>ction`.
    @Test func aShortSecretIsHiddenOnlyAsAWholeWord() {
        var redactor = Redactor()
        redactor.add("e", name: "canary")
        #expect(redactor.redact("connection refused") == "connection refused")
        #expect(redactor.redact("password=e, next") == "password=<secret:canary>, next")
        #expect(redactor.redact("e") == "<secret:canary>")
        #expect(redactor.redact("e e") == "<secret:canary> <secret:canary>")
    }

    @Test func aShortSecretGetsAWarningThatNeverShowsItsValue() {
        let warning = Redactor.shortSecretWarning(name: "canary", value: "xy")
        #expect(
            warning
                == "secret 'canary' is only 2 characters long: it is hidden from output only where it stands as a word of its own; use a secret of at least 4 characters"
        )
        #expect(Redactor.shortSecretWarning(name: "t", value: "long-enough") == nil)
    }
}

extension RedactorTests {
    @Test func aShortSecretRepeatedInsideAWordStaysAWord() {
        var redactor = Redactor()
        redactor.add("e", name: "canary")
        #expect(redactor.redact("ee e") == "ee <secret:canary>")
    }

    @Test func aSecretContainingAnotherIsReplacedWhole() {
        var redactor = Redactor()
        redactor.add("token", name: "short")
        redactor.add("token-with-suffix", name: "long")
        #expect(redactor.redact("a token-with-suffix and a token") == "a <secret:long> and a <secret:short>")
    }

    @Test func aValueIsKnownOnceAndAnEmptyOneNever() {
        var redactor = Redactor()
        let first = redactor.add("s3cr3t", name: "a")
        let again = redactor.add("s3cr3t", name: "b")
        let empty = redactor.add("", name: "empty")
        #expect(first && !again && !empty, "known once, the first name stays, an empty value never")
        #expect(redactor.redact("s3cr3t") == "<secret:a>")
    }

    @Test func everyStringInAValueIsRedactedKeysToo() {
        var redactor = Redactor()
        redactor.add("s3cr3t", name: "t")
        let value = Value.map([("s3cr3t", .list([.string("x s3cr3t"), .int(1), .bool(true)])), ("n", .null)])
        #expect(redactor.redact(value) == .map([("<secret:t>", .list([.string("x <secret:t>"), .int(1), .bool(true)])), ("n", .null)]))
        #expect(Redactor().redact(value) == value)
    }
}
