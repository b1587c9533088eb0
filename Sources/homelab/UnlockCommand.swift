import ArgumentParser
import Foundation
import HomelabCore

struct UnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Remove the run lock left behind by a run that is no longer running.",
        discussion: """
        A run holds a lock (lock.json in the state directory) so that two runs never work on the lab at once. When a run dies without releasing it (a crash, a lost SSH session, a reboot), the next run is refused and reports the stale lock; 'unlock' removes it and prints who held it. A lock whose run is still running on this host is left alone unless --force, and so is a lock from another host, which cannot be checked from here.

        The state directory is --state-dir, else $XDG_STATE_HOME/homelab, else ~/.local/state/homelab.

        Examples:
          homelab unlock
          homelab unlock --state-dir /var/lib/homelab
          homelab unlock --force

        Exit codes: 0 the lock was removed or there was none, 1 refused (its run is still running) or the lock could not be removed, 2 the command line is wrong.
        """
    )

    @OptionGroup var location: StateDirOption

    @Flag(help: "Remove the lock even if its run is still running, or runs on another host.")
    var force = false

    func run() throws {
        let state = location.state
        do {
            switch try RunLock.unlock(in: state, force: force) {
            case .free:
                Terminal.out("no lock in \(state.path)\n")
            case .held(let holder, let alive):
                let was = alive ? " (its run may still be running)" : " (no longer running)"
                Terminal.out("removed the lock of \(holder)\(was) from \(state.lockPath)\n")
            case .unreadable(let reason):
                Terminal.out("removed an unreadable lock (\(reason)) from \(state.lockPath)\n")
            }
        } catch {
            Terminal.err("error: \(error)\n")
            throw ExitCode.failure
        }
    }
}
