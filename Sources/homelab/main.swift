import ArgumentParser
import Foundation
import HomelabTransport

/// Exit codes are part of the interface: 0 success, 1 errors or a failed run, 2 usage,
/// 3 a run stopped before its end (resumable).
enum Entry {
    // Inside an async function, `run()` resolves to the async requirement; at top level it
    // would pick the synchronous default, which only prints help.
    static func main() async {
        // A closed standard output (`homelab run ... | head`) must not stop a recovery half-way:
        // writes to it fail with EPIPE instead, and Terminal stops writing there.
        signal(SIGPIPE, SIG_IGN)
        _ = TransportLibraries.prepared
        if let unknown = UnknownCommand.message(for: Array(CommandLine.arguments.dropFirst())) {
            Terminal.err("error: \(unknown)\n")
            exit(ExitStatus.usage)
        }
        do {
            var command = try Homelab.parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            let code = Homelab.exitCode(for: error)
            if code == .validationFailure {
                Terminal.err(Homelab.fullMessage(for: error) + "\n")
                exit(ExitStatus.usage)
            }
            Homelab.exit(withError: error)
        }
    }
}

await Entry.main()
