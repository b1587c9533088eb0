import HomelabActions
import HomelabCore
import Testing

@Suite("Proxmox proxmox.vm")
struct ProxmoxVMTests {
    let connector = FakeConnector()
    var fake: FakeProxmox { connector.fake }
    var action: ProxmoxVM { ProxmoxVM(proxmox: connector) }
    let iso: Value = .string("local:iso/talos-v1.11.5.iso")

    @Test func createsAMissingVMAndWaitsForTheTask() async throws {
        await fake.setPolls("qmcreate", 2)
        let context = RecordingContext()
        let outputs = try await action.run(ProxmoxLab.call(["vm": ProxmoxLab.cp1, "iso": iso]), context: context)
        #expect(outputs["vmid"] == .int(201))
        #expect(outputs["name"] == .string("cp-1"))
        #expect(outputs["created"] == .bool(true))
        #expect(outputs["fixed"] == .list([]))
        #expect(outputs["drift"] == .list([]))
        let created = try #require(await fake.created[201])
        #expect(created["scsi0"] == .string("local-zfs:64,discard=on,ssd=1,iothread=1")) // storage.vm of the inventory
        #expect(created["ide2"] == .string("local:iso/talos-v1.11.5.iso,media=cdrom"))
        #expect(await fake.vm(201)?.config["lock"] == nil)
        #expect(context.messages.contains("creating VM 201 'cp-1' (4 cores, 8192 MiB, 64G on local-zfs)"))
        #expect(connector.endpoints.first == ProxmoxEndpoint(url: "https://192.168.10.2:8006/api2/json", node: "pve", token: ProxmoxLab.token))
    }

    @Test func aSecondRunChangesNothingAndTheProbeIsSatisfied() async throws {
        let call = ProxmoxLab.call(["vm": ProxmoxLab.cp1, "iso": iso])
        _ = try await action.run(call, context: RecordingContext())
        let before = await fake.mutatingCalls
        #expect(try await action.probe(call, context: RecordingContext()) == .satisfied("VM 201 'cp-1' exists as specified"))
        let again = try await action.run(call, context: RecordingContext())
        #expect(again["created"] == .bool(false))
        #expect(await fake.mutatingCalls == before)
    }

    @Test func theProbeIsNotSatisfiedForAMissingOrDriftedVM() async throws {
        let call = ProxmoxLab.call(["vm": ProxmoxLab.cp1])
        #expect(try await action.probe(call, context: RecordingContext()) == .wouldChange("create VM 201 'cp-1' (4 cores, 8192 MiB, 64G on local-zfs)"))
        var values = ProxmoxLab.created(try VMSpec.parse(ProxmoxLab.cp1))
        values["memory"] = "4096"
        await fake.addVM(201, values)
        #expect(try await action.probe(call, context: RecordingContext()) == .wouldChange("fix memory: 4096 -> 8192"))
        await fake.lock(201, "backup")
        #expect(
            try await action.probe(call, context: RecordingContext())
                == .wouldChange("VM 201 'cp-1' is locked (backup); a run waits for that, then compares it with the inventory"))
        #expect(await fake.mutatingCalls.isEmpty)
    }

    @Test func fixesSafeDriftWithTheDigestAndOnlyReportsDiskDrift() async throws {
        var values = ProxmoxLab.created(try VMSpec.parse(ProxmoxLab.cp1))
        values["memory"] = "4096"
        values["tags"] = "old"
        values["scsi0"] = "local-zfs:vm-201-disk-0,discard=on,size=32G"
        await fake.addVM(201, values)
        let cp1: Value = .map(ProxmoxLab.cp1.keys.map { ($0, ProxmoxLab.cp1[$0]!) } + [("tags", .list([.string("talos"), .string("k8s")]))])
        let context = RecordingContext()
        let outputs = try await action.run(ProxmoxLab.call(["vm": cp1]), context: context)
        #expect(outputs["created"] == .bool(false))
        #expect(outputs["fixed"] == .list([.string("memory: 4096 -> 8192"), .string("tags: old -> k8s;talos")]))
        #expect(outputs["drift"] == .list([.string("disk size: 32G -> 64G (not changed: resize disks by hand)")]))
        let update = try #require(await fake.updates.first)
        #expect(update.set == ["memory": .string("8192"), "tags": .string("k8s;talos")])
        #expect(update.digest == FakeProxmox.digest(values))
        #expect(await fake.vm(201)?.config["scsi0"] == "local-zfs:vm-201-disk-0,discard=on,size=32G")
        #expect(await !fake.calls.contains { $0.hasPrefix("create") || $0.hasPrefix("destroy") })
        #expect(context.messages.contains { $0.contains("differs from the inventory: disk size") })
    }

    @Test func aVMLockedByARunningCreateWaitsForThatTaskInsteadOfCreatingAgain() async throws {
        let spec = try VMSpec.parse(ProxmoxLab.cp1)
        await fake.addVM(201, ["lock": "create"])
        _ = await fake.startTask("qmcreate", vmid: 201, effect: .create(201, ProxmoxLab.created(spec)), polls: 3)
        let context = RecordingContext()
        let outputs = try await action.run(ProxmoxLab.call(["vm": ProxmoxLab.cp1]), context: context)
        #expect(outputs["created"] == .bool(false))
        #expect(outputs["fixed"] == .list([]))
        #expect(await !fake.calls.contains { $0.hasPrefix("create") })
        #expect(context.messages.contains { $0.contains("locked (create) by its running qmcreate task") })
    }

    @Test func aPlaceholderLockWithNoTaskFailsWithWhatToDoAndCreatesNothing() async throws {
        await fake.addVM(201, ["lock": "create"])
        let failure = try #require(await ProxmoxLab.failure { _ = try await action.run(ProxmoxLab.call(["vm": ProxmoxLab.cp1]), context: RecordingContext()) })
        #expect(failure.message.contains("no task is building it"))
        #expect(failure.message.contains("qm destroy 201 --skiplock"))
        #expect(!failure.retryable)
        #expect(await fake.mutatingCalls.isEmpty)
    }

    @Test func aCreateThatLeftAPlaceholderFailsWithTheClientsHint() async throws {
        await fake.inject(
            "create",
            ProxmoxError(
                .locked("create"), call: "POST /nodes/pve/qemu", status: 500, message: "got no worker upid - start worker failed",
                hint: "VM 201 is left as a locked placeholder; remove it on the host with 'qm destroy 201 --skiplock', then re-run."))
        let failure = try #require(await ProxmoxLab.failure { _ = try await action.run(ProxmoxLab.call(["vm": ProxmoxLab.cp1]), context: RecordingContext()) })
        #expect(failure.message.contains("got no worker upid"))
        #expect(failure.message.contains("left as a locked placeholder"))
        #expect(!failure.retryable)
        #expect(await !fake.calls.contains { $0.hasPrefix("destroy") })
    }

    @Test func aBackupLockIsWaitedOut() async throws {
        await fake.addVM(201, ProxmoxLab.created(try VMSpec.parse(ProxmoxLab.cp1)).merging(["lock": "backup"]) { $1 })
        await fake.unlock(201, afterReads: 3)
        let context = RecordingContext()
        let outputs = try await action.run(ProxmoxLab.call(["vm": ProxmoxLab.cp1]), context: context)
        #expect(outputs["created"] == .bool(false))
        #expect(context.messages.contains("VM 201 is locked (backup); waiting up to 5m for the lock to clear"))
        #expect(context.slept >= .seconds(4))
    }

    @Test func aLockThatOutlastsLockTimeoutFailsRetryably() async throws {
        await fake.addVM(201, ["name": "cp-1", "lock": "backup"])
        let context = RecordingContext()
        let failure = try #require(
            await ProxmoxLab.failure { _ = try await action.run(ProxmoxLab.call(["vm": ProxmoxLab.cp1, "lock-timeout": .string("30s")]), context: context) })
        #expect(failure.message.contains("VM 201 is still locked (backup) after 30s"))
        #expect(failure.retryable)
        #expect(context.slept <= .seconds(30))
        #expect(await fake.mutatingCalls.isEmpty)
    }

    @Test func transientErrorsAreRetryableAndNeverShowTheSecret() async throws {
        await fake.inject(
            "GET config",
            ProxmoxError(.transient, call: "GET /nodes/pve/qemu/201/config", status: 596, message: "Connection timed out (token \(ProxmoxLab.token))"))
        let failure = try #require(await ProxmoxLab.failure { _ = try await action.run(ProxmoxLab.call(["vm": ProxmoxLab.cp1]), context: RecordingContext()) })
        #expect(failure.retryable)
        #expect(failure.message.contains("Connection timed out"))
        #expect(!failure.message.contains(ProxmoxLab.secret))
    }

    @Test func aFailedCreateTaskIsNotRetriedBlindly() async throws {
        await fake.fail("qmcreate", with: "unable to create VM 201 - no such storage 'local-zfs'")
        let failure = try #require(await ProxmoxLab.failure { _ = try await action.run(ProxmoxLab.call(["vm": ProxmoxLab.cp1]), context: RecordingContext()) })
        #expect(failure.message.contains("create of VM 201 failed: unable to create VM 201 - no such storage"))
        #expect(!failure.retryable)
    }

    @Test func describeSaysWhatWouldBeCreated() throws {
        // At plan time the token is only a placeholder: describe needs none of it.
        let text = action.describe(ProxmoxLab.call(["vm": ProxmoxLab.windows, "token": .string("${secrets.proxmox-token}")]).inputs)
        #expect(
            text == "create VM 301 'windows' (8 cores, 16384 MiB, 256G on local-zfs, q35/OVMF, GPU amd-igpu, TPM) unless it exists; fix non-destructive drift")
    }
}
