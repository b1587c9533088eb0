import Foundation

/// What a test can see of a step's process group: which of its processes are still alive.
enum ProcessGroups {
    /// Live processes of group `id` (zombies, which only wait for their parent, do not count).
    static func liveMembers(_ id: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let end = stat.lastIndex(of: ")")
            else { return false }
            // "pid (comm) state ppid pgrp ...": the name may hold spaces and parentheses.
            let fields = stat[stat.index(after: end)...].split(separator: " ")
            return fields.count > 2 && fields[0] != "Z" && Int32(fields[2]) == id
        }
    }

    /// Polls until group `id` has no live process, for up to `limit`.
    static func gone(_ id: Int32, within limit: Duration = .seconds(10)) -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if liveMembers(id).isEmpty { return true }
            usleep(20_000)
        }
        return liveMembers(id).isEmpty
    }

    /// The group id a step wrote to `file` (its shell's `$$`: the leader of its own group).
    static func id(in file: String) -> Int32? {
        (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Leaves no stray process behind a test, whatever happened: the group and its leader.
    static func kill(_ id: Int32?) {
        guard let id else { return }
        for pid in liveMembers(id) { Foundation.kill(pid, SIGKILL) }
        // A step's shell that is not the leader of a group (homelab before its own groups):
        // only while it is still a shell, never a process that took its number since.
        let name = (try? String(contentsOfFile: "/proc/\(id)/comm", encoding: .utf8)) ?? ""
        if ["sh\n", "dash\n", "bash\n"].contains(name) { Foundation.kill(id, SIGKILL) }
    }
}
