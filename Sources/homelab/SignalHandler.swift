import Dispatch
import Foundation
import HomelabCore

/// First SIGINT/SIGTERM: stop scheduling, let running steps finish (for a grace period).
/// Second one, or the grace period over: cancel the running steps.
final class SignalHandler: @unchecked Sendable {
    static let gracePeriod: Duration = .seconds(30)
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "homelab.signals")
    private var count = 0

    init(control: RunControl, cancel: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                count += 1
                let name = number == SIGINT ? "SIGINT" : "SIGTERM"
                if count == 1 {
                    control.requestStop("interrupted by \(name)")
                    Terminal.err("\n\(name): no new steps will start; waiting up to \(DurationText.format(Self.gracePeriod)) for running steps (again to cancel them)\n")
                    queue.asyncAfter(deadline: .now() + .seconds(Int(Self.gracePeriod.components.seconds))) { cancel() }
                } else {
                    Terminal.err("\n\(name) again: cancelling running steps\n")
                    cancel()
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    func stop() {
        for source in sources { source.cancel() }
        for number in [SIGINT, SIGTERM] { signal(number, SIG_DFL) }
    }
}
