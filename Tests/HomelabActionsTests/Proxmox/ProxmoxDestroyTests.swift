import HomelabActions
import HomelabCore
import Testing

@Suite("Proxmox proxmox.destroy")
struct ProxmoxDestroyTests {
    let connector = FakeConnector()
    var fake: FakeProxmox { connector.fake }
    var action: ProxmoxDestroy { ProxmoxDestroy(proxmox: connector) }
    let call = ProxmoxLab.call(["vmid": .int(201)])

    @Test func aRunningVMIsStoppedThenRemoved() async throws {
        await fake.addVM(201, ["name": "cp-1"], status: "running")
        #expect(try await action.probe(call, context: RecordingContext()) == .wouldChange("stop and delete VM 201 'cp-1' and its disks"))
        let outputs = try await action.run(call, context: RecordingContext())
        #expect(outputs == ["vmid": .int(201)])
        #expect(await fake.mutatingCalls == ["stop 201", "destroy 201"])
        #expect(await fake.vm(201) == nil)
        #expect(try await action.probe(call, context: RecordingContext()) == .satisfied("VM 201 does not exist"))
    }

    @Test func aMissingVMIsNothingToDo() async throws {
        let context = RecordingContext()
        _ = try await action.run(call, context: context)
        #expect(await fake.mutatingCalls.isEmpty)
        #expect(context.messages == ["VM 201 does not exist"])
    }

    @Test func aLockIsWaitedOutFirst() async throws {
        await fake.addVM(201, ["name": "cp-1", "lock": "backup"])
        await fake.unlock(201, afterReads: 2)
        _ = try await action.run(call, context: RecordingContext())
        #expect(await fake.mutatingCalls == ["destroy 201"])
    }

    @Test func itIsAlwaysDestructive() {
        #expect(action.schema.destructive == .always(reason: "deletes the VM and its disks"))
    }
}
