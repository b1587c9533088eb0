import HomelabCore
import Synchronization

/// Bytes, throughput and ETA of a long stream, reported to the operator through the context (the
/// engine's observer shows it) at most every `interval` of the engine's clock, plus once at the
/// end. `expected` is the stream's size when known (a manifest's) or estimated (`send -nP`, the
/// snapshot's referenced bytes), shown with `~`.
final class StreamProgress: Sendable {
    private struct State {
        var bytes: Int64 = 0
        var lastReport: Duration?
    }

    private let label: String
    private let expected: Int64?
    private let exact: Bool
    private let context: any ActionContext
    private let started: Duration
    private let interval: Duration
    private let state = Mutex(State())

    init(_ label: String, expected: Int64?, exact: Bool = false, context: any ActionContext, interval: Duration = .seconds(2)) {
        self.label = label
        self.expected = expected
        self.exact = exact
        self.context = context
        self.started = context.clock.elapsed
        self.interval = interval
    }

    var bytes: Int64 { state.withLock { $0.bytes } }

    /// `count` more bytes passed.
    func add(_ count: Int) { advance(to: nil, adding: Int64(count)) }

    /// The stream has passed `total` bytes so far (a counter on the host says so).
    func reached(_ total: Int64) { advance(to: total, adding: 0) }

    func finish() {
        let total = state.withLock { $0.bytes }
        guard total > 0 else { return } // nothing was counted (a host without dd's counter)
        let elapsed = context.clock.elapsed - started
        context.report("\(label): \(Self.size(total)) in \(DurationText.format(elapsed))" + (rate(total, elapsed).map { " (\($0))" } ?? ""))
    }

    private func advance(to total: Int64?, adding count: Int64) {
        let now = context.clock.elapsed
        let due: Int64? = state.withLock { state in
            state.bytes = total ?? (state.bytes + count)
            if let last = state.lastReport, now - last < interval { return nil }
            state.lastReport = now
            return state.bytes
        }
        guard let bytes = due, bytes > 0 else { return }
        context.report(line(bytes, elapsed: now - started))
    }

    func line(_ bytes: Int64, elapsed: Duration) -> String {
        var parts = [Self.size(bytes) + (expected.map { " of \(exact ? "" : "~")\(Self.size($0))" } ?? "")]
        if let rate = rate(bytes, elapsed) { parts.append(rate) }
        if let expected, let eta = Self.eta(bytes, of: expected, elapsed: elapsed) { parts.append("ETA \(DurationText.format(eta))") }
        return "\(label): " + parts.joined(separator: ", ")
    }

    private func rate(_ bytes: Int64, _ elapsed: Duration) -> String? {
        let seconds = Self.seconds(elapsed)
        guard seconds > 0.05 else { return nil }
        return "\(Self.size(Int64(Double(bytes) / seconds)))/s"
    }

    static func eta(_ bytes: Int64, of expected: Int64, elapsed: Duration) -> Duration? {
        let seconds = Self.seconds(elapsed)
        guard bytes > 0, seconds > 0.05 else { return nil }
        let left = max(0, Double(expected - bytes)) * seconds / Double(bytes)
        return .seconds(Int64(left.rounded(.up)))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// 1.5 GiB, 12.0 MiB, 640 KiB, 12 B.
    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : "\(String(format: "%.1f", value)) \(units[unit])"
    }
}
