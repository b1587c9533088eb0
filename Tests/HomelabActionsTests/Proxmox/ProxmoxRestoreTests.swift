import HomelabActions
import HomelabCore
import Testing

@Suite("Proxmox proxmox.restore")
struct ProxmoxRestoreTests {
    let connector = FakeConnector()
    var fake: FakeProxmox { connector.fake }
    var action: ProxmoxRestore { ProxmoxRestore(proxmox: connector) }

    func addBackups() async {
        for (name, ctime) in [("2026_11_01-03_00_00", 1_761_966_000), ("2026_11_03-03_00_00", 1_762_138_800), ("2026_11_02-03_00_00", 1_762_052_400)] {
            await fake.addVolume(
                "backup-hdd",
                ProxmoxVolume(
                    volid: "backup-hdd:backup/vzdump-qemu-201-\(name).vma.zst", format: "vma.zst", content: "backup", size: 1 << 30, ctime: ctime, vmid: 201))
        }
        await fake.addVolume(
            "backup-hdd",
            ProxmoxVolume(
                volid: "backup-hdd:backup/vzdump-qemu-211-2026_11_04-03_00_00.vma.zst", format: "vma.zst", content: "backup", size: 1 << 30,
                ctime: 1_762_225_200, vmid: 211))
    }

    @Test func restoresTheNewestBackupOntoTheInventorysStorage() async throws {
        await addBackups()
        let context = RecordingContext()
        let outputs = try await action.run(
            ProxmoxLab.call(["vmid": .int(201), "overrides": .map([("memory", .int(8192)), ("tags", .list([.string("talos"), .string("k8s")]))])]),
            context: context)
        let newest = "backup-hdd:backup/vzdump-qemu-201-2026_11_03-03_00_00.vma.zst"
        #expect(outputs == ["vmid": .int(201), "archive": .string(newest)])
        let restore = try #require(await fake.restores.first)
        #expect(restore.archive == newest)
        #expect(restore.storage == "local-zfs")
        #expect(!restore.force)
        #expect(restore.overrides == ["memory": .int(8192), "tags": .string("talos;k8s")])
        #expect(await fake.vm(201)?.config["lock"] == nil)
        #expect(context.messages.first == "restoring VM 201 from \(newest) onto local-zfs")
    }

    @Test func anExistingVMIsNotReplacedWithoutForce() async throws {
        await addBackups()
        await fake.addVM(201, ["name": "cp-1"])
        let call = ProxmoxLab.call(["vmid": .int(201)])
        #expect(try await action.probe(call, context: RecordingContext()) == .satisfied("VM 201 exists; restore is only for a missing VM unless force: true"))
        let failure = try #require(await ProxmoxLab.failure { _ = try await action.run(call, context: RecordingContext()) })
        #expect(failure.message.contains("set 'force: true' and mark the step 'destructive: true'"))
        #expect(await fake.mutatingCalls.isEmpty)
    }

    @Test func forceReplacesTheExistingVM() async throws {
        await addBackups()
        await fake.addVM(201, ["name": "cp-1"])
        let call = ProxmoxLab.call([
            "vmid": .int(201), "force": .bool(true), "archive": .string("backup-hdd:backup/vzdump-qemu-201-2026_11_01-03_00_00.vma.zst"),
        ])
        #expect(
            try await action.probe(call, context: RecordingContext())
                == .wouldChange("replace VM 201 'cp-1' and its disks with backup-hdd:backup/vzdump-qemu-201-2026_11_01-03_00_00.vma.zst"))
        _ = try await action.run(call, context: RecordingContext())
        let restore = try #require(await fake.restores.first)
        #expect(restore.force)
        #expect(restore.archive.hasSuffix("2026_11_01-03_00_00.vma.zst"))
        #expect(action.schema.destructive == .whenInput("force", reason: "replaces the existing VM and its disks"))
    }

    @Test func aFailedRestoreRemovesThePartialVMAndFailsRetryably() async throws {
        await addBackups()
        await fake.fail("qmrestore", with: "command 'zstd -q -d -c ...' failed: exit code 1")
        let context = RecordingContext()
        let failure = try #require(await ProxmoxLab.failure { _ = try await action.run(ProxmoxLab.call(["vmid": .int(201)]), context: context) })
        #expect(failure.retryable)
        #expect(failure.message.contains("restore of VM 201 from backup-hdd:backup/vzdump-qemu-201-2026_11_03-03_00_00.vma.zst failed"))
        #expect(failure.message.contains("the partial VM was removed"))
        #expect(await fake.vm(201) == nil)
        #expect(await fake.mutatingCalls == ["restore 201", "destroy 201"])
        #expect(context.messages.contains("partial VM 201 removed"))
    }

    @Test func aResumeWaitsForTheRestoreStillRunning() async throws {
        await addBackups()
        await fake.addVM(201, ["lock": "create"])
        _ = await fake.startTask("qmrestore", vmid: 201, effect: .restore(201, ["name": "cp-1"]), polls: 2)
        let outputs = try await action.run(ProxmoxLab.call(["vmid": .int(201)]), context: RecordingContext())
        #expect(outputs["vmid"] == .int(201))
        #expect(await fake.mutatingCalls.isEmpty)
        #expect(await fake.vm(201)?.config["name"] == "cp-1")
    }

    @Test func noBackupNamesTheStorageAndTheVM() async throws {
        await addBackups()
        let failure = try #require(await ProxmoxLab.failure { _ = try await action.run(ProxmoxLab.call(["vmid": .int(212)]), context: RecordingContext()) })
        #expect(failure.message.contains("no backup of VM 212 on storage 'backup-hdd'"))
        #expect(await fake.mutatingCalls.isEmpty)
    }

    @Test func diskKeysCannotBeOverridden() async throws {
        let failure = try #require(
            await ProxmoxLab.failure {
                _ = try await action.run(
                    ProxmoxLab.call(["vmid": .int(201), "overrides": .map([("scsi0", .string("local-zfs:64"))])]), context: RecordingContext())
            })
        #expect(failure.message.contains("'overrides' has 'scsi0', a disk key"))
    }
}
