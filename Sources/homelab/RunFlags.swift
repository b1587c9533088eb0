import ArgumentParser
import Foundation
import HomelabActions
import HomelabCore

/// Options shared by `run` and `resume`.
struct RunFlags: ParsableArguments {
    @OptionGroup var location: StateDirOption

    @Option(help: "Most steps running at once.")
    var parallelism = 4

    @Flag(help: "After a failure, keep running the branches that do not depend on it.")
    var keepGoing = false

    @Option(help: ArgumentHelp("The RTO budget, such as 45m: no attempt runs past it.", valueName: "duration"))
    var deadline: String?

    @Flag(name: [.customLong("yes"), .customShort("y")], help: "Answer yes to approval gates and confirmations (recorded as 'flag --yes').")
    var yes = false

    @Option(
        name: .customLong("trust-fingerprint"),
        help: ArgumentHelp(
            "Trust a Proxmox API certificate with this SHA-256 fingerprint (AA:BB:...) although the inventory pins another or none: after a reinstall, once you have checked it on the host's console (pvenode cert info). Repeatable.",
            valueName: "sha256"))
    var trustFingerprints: [String] = []

    @Flag(help: "Stream progress as JSON objects, one per line.")
    var json = false

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set and not empty), always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if parallelism < 1 { throw ValidationError("--parallelism must be at least 1") }
        for fingerprint in trustFingerprints where FingerprintTrust.canonical(fingerprint) == nil {
            throw ValidationError("--trust-fingerprint expects a SHA-256 fingerprint (32 bytes in hex, such as AA:BB:...), got '\(fingerprint)'")
        }
        if let deadline, DurationText.parse(deadline) == nil { throw ValidationError("--deadline expects a duration such as 45m or 1h30m, got '\(deadline)'") }
    }

    func options(isDrill: Bool = false) -> RunOptions {
        RunOptions(parallelism: parallelism, keepGoing: keepGoing, deadline: deadline.flatMap(DurationText.parse), assumeYes: yes, isDrill: isDrill)
    }

    var state: StateDirectory { location.state }
    var stateDir: String? { location.stateDir }
}
