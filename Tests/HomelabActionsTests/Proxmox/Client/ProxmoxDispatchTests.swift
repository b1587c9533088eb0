import Foundation
import Testing

@testable import HomelabActions

/// A mutating call whose answer was lost is never sent again blindly: the host's tasks and state
/// are read first (a 596 may still have happened; "got no worker upid" can leave a locked placeholder; re-dispatching a start after a lost answer fails with "already running").
struct ProxmoxDispatchTests {
    static let now = 1_800_000_000
    let create = "POST /nodes/pve/qemu"
    let tasks = "GET /nodes/pve/tasks"
    let config100 = "GET /nodes/pve/qemu/100/config"
    let missing = ScriptedProxmoxTransport.Answer.error(500, "Configuration file 'nodes/pve/qemu-server/100.conf' does not exist")
    let talos: ProxmoxParameters = ["name": .string("talos-cp1"), "cores": .int(2), "net0": .string("virtio,bridge=vmbr0")]

    @Test func a596AfterTheVMWasCreatedReturnsTheRunningTaskWithoutASecondPost() async throws {
        let transport = ScriptedProxmoxTransport()
            .on(create, .error(596, "Connection timed out"))
            .on(tasks, .data("[\(ProxmoxSamples.task("qmcreate", vmid: 100, start: Self.now + 1, status: nil))]"))
        let id = try await ProxmoxSamples.client(transport, now: Self.now).create(vmid: 100, config: talos)
        #expect(id == ProxmoxTaskID(ProxmoxSamples.upid("qmcreate", "100", start: Self.now + 1)))
        #expect(transport.requests(create).count == 1)
        #expect(transport.requests(tasks).first?.encodedQuery == "vmid=100&typefilter=qmcreate&source=all")
    }

    @Test func aTaskThatFinishedSinceTheDispatchIsReturnedSoTheWaiterReportsIt() async throws {
        let transport = ScriptedProxmoxTransport()
            .on(create, .failure(.timedOut(.total)))
            .on(
                tasks,
                .data(
                    """
                    [\(ProxmoxSamples.task("qmcreate", vmid: 100, start: Self.now - 3600, status: "OK")),
                     \(ProxmoxSamples.task("qmcreate", vmid: 100, start: Self.now + 2, status: "unable to create image: out of space"))]
                    """))
        let id = try await ProxmoxSamples.client(transport, now: Self.now).create(vmid: 100, config: talos)
        #expect(id?.upid == ProxmoxSamples.upid("qmcreate", "100", start: Self.now + 2))
        #expect(transport.requests(create).count == 1)
    }

    @Test func aCompleteVMWithNoTaskLeftIsDone() async throws {
        let transport = ScriptedProxmoxTransport()
            .on(create, .error(596, "Broken pipe"))
            .on(tasks, .data("[\(ProxmoxSamples.task("qmcreate", vmid: 100, start: Self.now - 3600, status: "OK"))]"))
            .on(config100, .data(#"{"name":"talos-cp1","cores":2,"digest":"ab"}"#))
        let id = try await ProxmoxSamples.client(transport, now: Self.now).create(vmid: 100, config: talos)
        #expect(id == nil)
        #expect(transport.requests(create).count == 1)
    }

    @Test func aDropBeforeAnythingHappenedIsSentAgainOnlyByTheNextStepAttempt() async throws {
        let slept = SleepLog()
        let transport = ScriptedProxmoxTransport()
            .on(create, .dropped, .data("\"\(ProxmoxSamples.createUPID)\""))
            .on(tasks, .data("[]"))
            .on(config100, missing)
        let client = ProxmoxSamples.client(transport, now: Self.now, slept: slept)
        // The step's first attempt: one POST, then the host's state is read, and the step hears a
        // transient error its retry policy may act on.
        let error = try await #require(throws: ProxmoxError.self) { try await client.create(vmid: 100, config: talos) }
        #expect(error.kind == .transient)
        #expect(error.message.contains("create VM 100 did not reach the host"))
        #expect(transport.requests.map(\.call) == [create, tasks, config100])
        #expect(slept.all.isEmpty)
        // The step's next attempt sends it once more.
        let id = try await client.create(vmid: 100, config: talos)
        #expect(id?.upid == ProxmoxSamples.createUPID)
        let posts = transport.requests(create)
        #expect(posts.count == 2)
        #expect(posts.allSatisfy { $0.body == .json(talos.merging(["vmid": .int(100)]) { $1 }) })
    }

    @Test func noWorkerUPIDLeavesAPlaceholderThatIsReportedAsLocked() async throws {
        let slept = SleepLog()
        let transport = ScriptedProxmoxTransport()
            .on(create, .error(500, "got no worker upid - start worker failed"))
            .on(tasks, .data("[]"))
            .on(config100, .data(#"{"lock":"create","digest":"0f"}"#))
        let error = try await #require(throws: ProxmoxError.self) {
            try await ProxmoxSamples.client(transport, now: Self.now, slept: slept).create(vmid: 100, config: talos)
        }
        #expect(error.kind == .locked("create"))
        #expect(error.hint?.contains("qm unlock 100 && qm destroy 100") == true)
        #expect(error.message.contains("got no worker upid"))
        #expect(transport.requests(create).count == 1)
        #expect(slept.all == [.seconds(2)]) // looked twice before calling it a leftover
    }

    @Test func aPlaceholderWhoseWorkerStartsLateIsFollowed() async throws {
        let late = ProxmoxSamples.task("qmcreate", vmid: 100, start: Self.now + 1, status: nil)
        let transport = ScriptedProxmoxTransport()
            .on(create, .error(596, "Connection timed out"))
            .on(tasks, .data("[]"), .data("[\(late)]"))
            .on(config100, .data(#"{"lock":"create"}"#))
        let id = try await ProxmoxSamples.client(transport, now: Self.now).create(vmid: 100, config: talos)
        #expect(id?.type == "qmcreate")
        #expect(transport.requests(create).count == 1)
    }

    @Test func alreadyExistsOnTheNextStepAttemptIsTheAnswerTheActionChecks() async throws {
        // The first POST is lost and nothing shows; by the step's next attempt the VM is there:
        // the client says so (ProxmoxVM then checks the VM against the inventory).
        let transport = ScriptedProxmoxTransport()
            .on(create, .dropped, .error(500, "unable to create VM 100 - VM 100 already exists on node 'pve'"))
            .on(tasks, .data("[]"))
            .on(config100, missing)
        let client = ProxmoxSamples.client(transport, now: Self.now)
        await #expect(throws: ProxmoxError.self) { try await client.create(vmid: 100, config: talos) }
        let error = try await #require(throws: ProxmoxError.self) { try await client.create(vmid: 100, config: talos) }
        #expect(error.kind == .exists)
        #expect(transport.requests(create).count == 2)
    }

    @Test func alreadyExistsOnTheFirstPostIsTheAnswer() async throws {
        let transport = ScriptedProxmoxTransport()
            .on(create, .error(500, "unable to create VM 100 - VM 100 already exists on node 'pve'"))
        let error = try await #require(throws: ProxmoxError.self) {
            try await ProxmoxSamples.client(transport).create(vmid: 100, config: talos)
        }
        #expect(error.kind == .exists)
        #expect(transport.requests.count == 1)
    }

    @Test func aRefusalIsNeverRetried() async throws {
        let transport = ScriptedProxmoxTransport().on(create, .error(503, "Service Unavailable"))
        let error = try await #require(throws: ProxmoxError.self) {
            try await ProxmoxSamples.client(transport).create(vmid: 100, config: talos)
        }
        #expect(error.kind == .fatal)
        #expect(transport.requests.map(\.call) == [create])
    }

    @Test func aMutationIsSentOncePerCallWhateverTheFailure() async throws {
        let slept = SleepLog()
        let transport = ScriptedProxmoxTransport()
            .on(create, .failure(.connectionRefused))
            .on(tasks, .data("[]"))
            .on(config100, missing)
        let error = try await #require(throws: ProxmoxError.self) {
            try await ProxmoxSamples.client(transport, slept: slept).create(vmid: 100, config: talos)
        }
        #expect(error.kind == .transient)
        #expect(transport.requests(create).count == 1)
        #expect(slept.all.isEmpty)
    }

    @Test func whenStateCannotBeReadEitherNothingIsSentAgain() async throws {
        let transport = ScriptedProxmoxTransport()
            .on(create, .error(596, "Connection timed out"))
            .on(tasks, .error(596, "Connection timed out"))
        let error = try await #require(throws: ProxmoxError.self) {
            try await ProxmoxSamples.client(transport).create(vmid: 100, config: talos)
        }
        #expect(error.kind == .transient)
        #expect(error.message.contains("is unknown"))
        #expect(transport.requests(create).count == 1)
        #expect(transport.requests(tasks).count == 2) // a read is asked twice
    }

    @Test func startStopAndDestroyCheckTheVMsState() async throws {
        let status = "GET /nodes/pve/qemu/100/status/current"
        let started = ScriptedProxmoxTransport()
            .on("POST /nodes/pve/qemu/100/status/start", .dropped)
            .on(tasks, .data("[]"))
            .on(status, .data(#"{"status":"running","qmpstatus":"running"}"#))
        #expect(try await ProxmoxSamples.client(started).power(vmid: 100, .start) == nil)
        #expect(started.requests("POST /nodes/pve/qemu/100/status/start").count == 1)
        #expect(started.requests(tasks).first?.encodedQuery == "vmid=100&typefilter=qmstart&source=all")

        let stopped = ScriptedProxmoxTransport()
            .on("POST /nodes/pve/qemu/100/status/shutdown", .dropped, .data("\"\(ProxmoxSamples.upid("qmshutdown", "100"))\""))
            .on(tasks, .data("[]"))
            .on(status, .data(#"{"status":"running"}"#))
        // Still running after the lost shutdown: the step hears a transient error, and its next
        // attempt sends the shutdown again.
        let stopping = ProxmoxSamples.client(stopped)
        let lost = try await #require(throws: ProxmoxError.self) { try await stopping.power(vmid: 100, .shutdown) }
        #expect(lost.kind == .transient)
        #expect(stopped.requests("POST /nodes/pve/qemu/100/status/shutdown").count == 1)
        #expect(try await stopping.power(vmid: 100, .shutdown)?.type == "qmshutdown")
        #expect(stopped.requests("POST /nodes/pve/qemu/100/status/shutdown").count == 2)

        let gone = ScriptedProxmoxTransport()
            .on("DELETE /nodes/pve/qemu/100", .error(599, "Too many redirections"))
            .on(tasks, .data("[]"))
            .on(config100, missing)
        #expect(try await ProxmoxSamples.client(gone).destroy(vmid: 100) == nil)
        #expect(gone.requests("DELETE /nodes/pve/qemu/100").count == 1)
    }

    @Test func aConfigChangeThatIsVisibleIsDone() async throws {
        let post = "POST /nodes/pve/qemu/100/config"
        let transport = ScriptedProxmoxTransport()
            .on(post, .error(596, "Connection timed out"))
            .on(tasks, .data("[]"))
            .on(config100, .data(#"{"cores":"4","tags":"k8s;talos","digest":"new"}"#))
        let id = try await ProxmoxSamples.client(transport)
            .updateConfig(vmid: 100, set: ["cores": .int(4), "tags": .string("k8s;talos")], delete: ["ide2"], digest: "old")
        #expect(id == nil)
        #expect(
            transport.requests(post).first?.body
                == .json([
                    "cores": .int(4), "tags": .string("k8s;talos"),
                    "delete": .string("ide2"), "digest": .string("old"),
                ]))
    }

    @Test func aRestoreWithForceNeedsItsTaskAsProof() async throws {
        let transport = ScriptedProxmoxTransport()
            .on(create, .dropped, .data("\"\(ProxmoxSamples.upid("qmrestore", "200"))\""))
            .on(tasks, .data("[]"))
            .on("GET /nodes/pve/qemu/200/config", .data(#"{"name":"gaming","cores":8}"#))
        let client = ProxmoxSamples.client(transport)
        let restore = {
            try await client.restore(
                vmid: 200, archive: "backup:backup/vzdump-qemu-200.vma.zst",
                storage: "local-zfs", force: true, overrides: ["name": .string("gaming")])
        }
        // The VM was there before the lost restore, so only a task would prove it ran: none.
        let lost = try await #require(throws: ProxmoxError.self) { try await restore() }
        #expect(lost.kind == .transient)
        #expect(transport.requests(create).count == 1)
        #expect(try await restore()?.type == "qmrestore")
        let posts = transport.requests(create)
        #expect(posts.count == 2)
        #expect(
            posts.first?.body
                == .json([
                    "vmid": .int(200), "archive": .string("backup:backup/vzdump-qemu-200.vma.zst"),
                    "storage": .string("local-zfs"), "force": .bool(true), "name": .string("gaming"),
                ]))
    }

    @Test func anUploadIsDoneWhenTheStorageListsTheFileWithItsSize() async throws {
        let path = "/tmp/homelab-client-upload-\(getpid()).iso"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 7, count: 1234)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let listing = "GET /nodes/pve/storage/local/content"
        let upload = "POST /nodes/pve/storage/local/upload"
        let transport = ScriptedProxmoxTransport()
            .on(upload, .dropped, .data("\"\(ProxmoxSamples.upid("imgcopy", ""))\""))
            .on(tasks, .data("[]"))
            .on(listing, .data(#"[{"volid":"local:iso/talos_1.9.iso","size":99}]"#), .data(#"[{"volid":"local:iso/talos_1.9.iso","size":1234}]"#))
        let client = ProxmoxSamples.client(transport)
        // First lost answer: a stale file of another size is there, so the step's next attempt
        // sends the upload again.
        let lost = try await #require(throws: ProxmoxError.self) {
            try await client.upload(storage: "local", ProxmoxUpload(path: path, filename: "talos 1.9.iso"))
        }
        #expect(lost.kind == .transient)
        #expect(try await client.upload(storage: "local", ProxmoxUpload(path: path, filename: "talos 1.9.iso"))?.type == "imgcopy")
        #expect(transport.requests(upload).count == 2)
        #expect(transport.requests(upload).first?.purpose == .transfer)
        // Second: it is there with our size.
        transport.on(upload, .dropped)
        #expect(try await client.upload(storage: "local", ProxmoxUpload(path: path, filename: "talos 1.9.iso")) == nil)
    }

    @Test func aDownloadIsDoneWhenTheFileIsListed() async throws {
        let post = "POST /nodes/pve/storage/local/download-url"
        let transport = ScriptedProxmoxTransport()
            .on(post, .error(596, "Connection timed out"))
            .on(tasks, .data("[]"))
            .on("GET /nodes/pve/storage/local/content", .data(#"[{"volid":"local:iso/talos.iso","size":5}]"#))
        let download = ProxmoxDownload(
            url: "https://factory.talos.dev/image/x/v1.9.0/metal-amd64.iso", filename: "talos.iso",
            checksum: "abc", checksumAlgorithm: "sha256")
        #expect(try await ProxmoxSamples.client(transport).downloadURL(storage: "local", download) == nil)
        #expect(
            transport.requests(post).first?.body
                == .json([
                    "url": .string(download.url), "filename": .string("talos.iso"), "content": .string("iso"),
                    "checksum": .string("abc"), "checksum-algorithm": .string("sha256"), "verify-certificates": .bool(true),
                ]))
        #expect(transport.requests(tasks).first?.encodedQuery == "typefilter=download&source=all")
    }

    @Test func readsAreAskedOnceMoreAfterATransientFailure() async throws {
        let transport = ScriptedProxmoxTransport().on("GET /version", .dropped, .data(#"{"version":"9.1.1","release":"9.1","repoid":"x"}"#))
        #expect(try await ProxmoxSamples.client(transport).version().release == "9.1")
        #expect(transport.requests.count == 2)

        let down = ScriptedProxmoxTransport().on("GET /version", .dropped)
        await #expect(throws: ProxmoxError.self) { try await ProxmoxSamples.client(down).version() }
        #expect(down.requests.count == 2)
    }
}
