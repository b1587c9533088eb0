import ArgumentParser
import Foundation

// Exit codes are part of the interface: 0 valid, 1 diagnostics, 2 usage.
do {
    var command = try Homelab.parseAsRoot()
    try command.run()
} catch {
    let code = Homelab.exitCode(for: error)
    if code == .validationFailure {
        FileHandle.standardError.write(Data((Homelab.fullMessage(for: error) + "\n").utf8))
        exit(ExitStatus.usage)
    }
    Homelab.exit(withError: error)
}
