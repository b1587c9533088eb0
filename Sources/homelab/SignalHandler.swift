import Dispatch
import Foundation
import HomelabCore

/// First SIGINT, SIGTERM or SIGHUP: stop scheduling, let running steps finish (for a grace
/// period). A second one, or the grace period over: cancel the running steps, which stops their
/// programs (SIGTERM to each one's process group, then SIGKILL). SIGHUP is SIGTERM: a closed
/// terminal or ssh session must leave a journal that says the run was interrupted.
final class SignalHandler: @unchecked Sendable {
    static let defaultGracePeriod: Duration = .seconds(30)
    private static let handled: [(Int32, String)] = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")]
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "homelab.signals")
    private var count = 0

    init(control: RunControl, gracePeriod: Duration = defaultGracePeriod, cancel: @escaping @Sendable () -> Void) {
        for (number, name) in Self.handled {
            // Ignored, so that the dispatch source sees it instead of the process dying. Children
            // do not inherit this: SpawnedProcess gives them every signal at its default.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                count += 1
                if count == 1 {
                    control.requestStop(.interrupted(by: name))
                    Terminal.err(
                        "\n\(name): no new steps will start; waiting up to \(DurationText.format(gracePeriod)) for running steps (again to cancel them)\n")
                    let (seconds, attoseconds) = gracePeriod.components
                    queue.asyncAfter(deadline: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))) { cancel() }
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
        for (number, _) in Self.handled { signal(number, SIG_DFL) }
    }
}
