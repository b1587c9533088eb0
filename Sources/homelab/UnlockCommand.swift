import ArgumentParser
import Foundation
import HomelabCore

struct UnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Remove the run lock left behind by a run that is no longer running.",
        discussion: """
            A run holds a lock so that two runs never work on the lab at once: an advisory lock on 'lock' in the state directory, held by its process until it ends, and lock.json, which names the run. When a run dies without releasing it (a crash, a lost SSH session, a reboot), lock.json stays and the next run is refused and reports the stale lock; 'unlock' removes it and prints who held it. A lock that a running process on this host holds is never removed, even with --force (it goes when that run ends); a lock from another host, which cannot be checked from here, is removed only with --force.

            The state directory is --state-dir, else $XDG_STATE_HOME/homelab, else ~/.local/state/homelab.

            Examples:
              homelab unlock
              homelab unlock --state-dir /var/lib/homelab
              homelab unlock --force

            Exit codes: 0 the lock was removed or there was none, 1 refused (its run is still running, or is on another host and --force was not given) or the lock could not be removed, 2 the command line is wrong.
            """
    )

    @OptionGroup var location: StateDirOption

    @Flag(help: "Remove a lock from another host, where this machine cannot tell whether its run still goes on.")
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
