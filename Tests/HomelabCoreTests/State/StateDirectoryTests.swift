import Foundation
import Testing

@testable import HomelabCore

@Suite struct StateDirectoryTests {
    @Test func anExplicitDirectoryWins() {
        let state = StateDirectory.resolve(explicit: "/srv/homelab", environment: ["XDG_STATE_HOME": "/x", "HOME": "/home/alice"])
        #expect(state.path == "/srv/homelab")
    }

    @Test func thenXDGStateHomeWhenAbsolute() {
        #expect(StateDirectory.resolve(explicit: nil, environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/alice"]).path == "/x/state/homelab")
        #expect(StateDirectory.resolve(explicit: nil, environment: ["XDG_STATE_HOME": "/x/state/", "HOME": "/home/alice"]).path == "/x/state/homelab")
    }

    @Test(arguments: ["relative/state", ""])
    func aRelativeOrEmptyXDGStateHomeIsIgnored(_ xdg: String) {
        let state = StateDirectory.resolve(explicit: nil, environment: ["XDG_STATE_HOME": xdg, "HOME": "/home/alice"])
        #expect(state.path == "/home/alice/.local/state/homelab")
    }

    @Test func thenTheHomeDirectory() {
        #expect(StateDirectory.resolve(explicit: nil, environment: ["HOME": "/home/alice"]).path == "/home/alice/.local/state/homelab")
        #expect(StateDirectory.resolve(explicit: "", environment: ["HOME": "/home/alice"]).path == "/home/alice/.local/state/homelab")
        #expect(StateDirectory.resolve(explicit: nil, environment: [:]).path.hasSuffix("/.local/state/homelab"))
    }

    @Test func paths() {
        let state = StateDirectory(path: "/s")
        #expect(state.lockPath == "/s/lock.json")
        #expect(state.runDirectory("20261127T084700Z-3f2a") == "/s/runs/20261127T084700Z-3f2a")
    }

    @Test func prepareCreatesPrivateDirectoriesAndCanBeRepeated() throws {
        let base = try temporaryDirectory()
        let state = StateDirectory(path: base + "/deep/state")
        try state.prepare()
        try state.prepare()
        for path in [state.path, state.path + "/runs"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect(attributes[.type] as? FileAttributeType == .typeDirectory)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700, "\(path)")
        }
    }

    @Test func prepareSaysWhichDirectoryCannotBeCreatedAndWhy() throws {
        let base = try temporaryDirectory()
        try Data().write(to: URL(fileURLWithPath: base + "/file"))
        #expect(throws: StateDirectory.Failure(path: base + "/file/state", reason: "Not a directory")) {
            try StateDirectory(path: base + "/file/state").prepare()
        }
        #expect(throws: StateDirectory.Failure(path: base + "/file", reason: "File exists")) {
            try StateDirectory(path: base + "/file").prepare()
        }
        let failure = StateDirectory.Failure(path: "/srv/state", reason: "Permission denied")
        #expect(
            failure.description == "cannot create the state directory /srv/state: Permission denied; choose another with --state-dir or fix its permissions")
    }

    @Test func runIDsAreTheRunDirectoriesInOrder() throws {
        let state = StateDirectory(path: try temporaryDirectory())
        #expect(state.runIDs() == [], "no runs/ yet")
        try state.prepare()
        for id in ["20261127T084700Z-3f2a", "20261103T120000Z-aaaa", "20261127T084700Z-0b1c", ".tmp-20261201T000000Z"] {
            try FileManager.default.createDirectory(atPath: state.runDirectory(id), withIntermediateDirectories: false)
        }
        try Data().write(to: URL(fileURLWithPath: state.runDirectory("not-a-run.json")))
        #expect(state.runIDs() == ["20261103T120000Z-aaaa", "20261127T084700Z-0b1c", "20261127T084700Z-3f2a"])
    }
}

/// A fresh, empty directory under the system's temporary directory.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "homelab-state-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return (path as NSString).standardizingPath
}
