import Testing

@testable import HomelabTransport

@Suite struct GRPCTimeoutTests {
    @Test(arguments: [
        (Duration.nanoseconds(1), "1n"),
        (.nanoseconds(99_999_999), "99999999n"),
        (.milliseconds(100), "100000u"),
        (.milliseconds(1500), "1500000u"),
        (.seconds(30), "30000000u"),
        (.seconds(300), "300000m"),
        (.seconds(100), "100000m"),
        (.seconds(100_000), "100000S"),
        (.seconds(99_999_999), "99999999S"),
        (.seconds(100_000_000), "1666667M"),
        (.seconds(6_000_000_000), "1666667H"),
    ])
    func finestUnitThatFitsEightDigits(timeout: Duration, header: String) {
        #expect(GRPCTimeout.headerValue(timeout) == header)
    }

    @Test func roundsUpSoTheServerNeverGetsLessTime() {
        // 1 s + 1 ns does not fit in nanoseconds (10 digits); in microseconds it rounds up.
        #expect(GRPCTimeout.headerValue(.seconds(1) + .nanoseconds(1)) == "1000001u")
        // Sub-nanosecond remainders round up to a whole nanosecond.
        #expect(GRPCTimeout.headerValue(Duration(secondsComponent: 0, attosecondsComponent: 1)) == "1n")
    }

    @Test func valuesNeverExceedEightDigits() {
        for seconds: Int64 in [1, 7, 99, 12_345, 987_654_321, 1 << 40, .max] {
            let header = GRPCTimeout.headerValue(.seconds(seconds) + .milliseconds(123))
            #expect(header.dropLast().count <= 8, "\(header)")
            #expect(header.dropLast().allSatisfy { $0.isNumber })
        }
        #expect(GRPCTimeout.headerValue(.seconds(Int64.max)) == "99999999H")
    }

    @Test func zeroOrNegativeStillSendsAPositiveValue() {
        #expect(GRPCTimeout.headerValue(.zero) == "1n")
        #expect(GRPCTimeout.headerValue(.seconds(-3)) == "1n")
    }
}
