import ArgumentParser
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

    @Flag(help: "Stream progress as JSON objects, one per line.")
    var json = false

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if parallelism < 1 { throw ValidationError("--parallelism must be at least 1") }
        if let deadline, DurationText.parse(deadline) == nil { throw ValidationError("--deadline expects a duration such as 45m or 1h30m, got '\(deadline)'") }
    }

    func options(isDrill: Bool = false) -> RunOptions {
        RunOptions(parallelism: parallelism, keepGoing: keepGoing, deadline: deadline.flatMap(DurationText.parse), assumeYes: yes, isDrill: isDrill)
    }

    var state: StateDirectory { location.state }
    var stateDir: String? { location.stateDir }
}

import Foundation
