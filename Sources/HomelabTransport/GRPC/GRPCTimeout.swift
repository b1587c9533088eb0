/// The `grpc-timeout` header: at most 8 digits and a unit (H M S m u n). The finest unit that fits
/// is used, rounded up so the server never sees a shorter deadline than ours.
enum GRPCTimeout {
    static let maxValue: Int64 = 99_999_999

    static func headerValue(_ timeout: Duration) -> String {
        let (seconds, attoseconds) = timeout.components
        guard seconds > 0 || (seconds == 0 && attoseconds > 0) else { return "1n" }
        let nanosecondsPart = (attoseconds + 999_999_999) / 1_000_000_000
        if seconds < 100_000_000 {
            // Fits Int64 comfortably: under 1e17 nanoseconds.
            let nanoseconds = seconds * 1_000_000_000 + nanosecondsPart
            for (unit, size) in [("n", Int64(1)), ("u", 1_000), ("m", 1_000_000), ("S", 1_000_000_000)] {
                let value = (nanoseconds + size - 1) / size
                if value <= maxValue { return "\(value)\(unit)" }
            }
        }
        for (unit, size) in [("M", Int64(60)), ("H", 3_600)] {
            // Rounded up without adding to `seconds`, which may be near Int64.max.
            let value = seconds / size + (seconds % size != 0 || nanosecondsPart > 0 ? 1 : 0)
            if value <= maxValue { return "\(value)\(unit)" }
        }
        return "\(maxValue)H"
    }
}
