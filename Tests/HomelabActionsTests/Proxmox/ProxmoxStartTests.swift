import HomelabActions
import HomelabCore
import Testing

@Suite("Proxmox proxmox.start")
struct ProxmoxStartTests {
    let connector = FakeConnector()
    var fake: FakeProxmox { connector.fake }
    var action: ProxmoxStart { ProxmoxStart(proxmox: connector) }
    let call = ProxmoxLab.call(["vmid": .int(201)])

    @Test func startsAStoppedVMAndChecksItRuns() async throws {
        await fake.addVM(201, ["name": "cp-1"])
        await fake.setPolls("qmstart", 2)
        #expect(try await action.probe(call, context: RecordingContext()) == .wouldChange("start VM 201 (now stopped)"))
        let context = RecordingContext()
        let outputs = try await action.run(call, context: context)
        #expect(outputs == ["vmid": .int(201), "status": .string("running")])
        #expect(await fake.vm(201)?.status == "running")
        #expect(context.slept >= .seconds(3)) // the settle pause before the status is re-read
        #expect(try await action.probe(call, context: RecordingContext()) == .satisfied("VM 201 is running"))
    }

    @Test func aRunningVMIsLeftAlone() async throws {
        await fake.addVM(201, ["name": "cp-1"], status: "running")
        let outputs = try await action.run(call, context: RecordingContext())
        #expect(outputs["status"] == .string("running"))
        #expect(await fake.mutatingCalls.isEmpty)
    }

    @Test func aStartTaskThatEndsOKWithTheVMStoppedFailsRetryably() async throws {
        await fake.addVM(201, ["name": "windows", "hostpci0": "mapping=amd-igpu,pcie=1,x-vga=1"])
        await fake.setStartLeavesStopped()
        let failure = try #require(await ProxmoxLab.failure { _ = try await action.run(call, context: RecordingContext()) })
        #expect(failure.message.contains("the start task of VM 201 ended OK but the VM is not running (status stopped)"))
        #expect(failure.retryable)
    }

    @Test func alreadyRunningFromTheTaskCountsAsStarted() async throws {
        await fake.addVM(201, ["name": "cp-1"])
        // Another start won the race: this task fails with "already running" and the VM runs.
        await fake.fail("qmstart", with: "VM 201 already running")
        let context = RecordingContext()
        let outputs = try await action.run(call, context: context)
        #expect(outputs["status"] == .string("running"))
        #expect(context.messages.contains("VM 201 was already running"))
    }

    @Test func aPassthroughVMGetsTheLongerDefaultTimeout() async throws {
        await fake.addVM(201, ["name": "windows", "hostpci0": "mapping=amd-igpu,pcie=1,x-vga=1"])
        await fake.addVM(202, ["name": "cp-1"])
        await fake.addVM(203, ["name": "steamos", "hostpci0": "mapping=amd-igpu,pcie=1"])
        let context = RecordingContext()
        _ = try await action.run(call, context: context)
        _ = try await action.run(ProxmoxLab.call(["vmid": .int(202)]), context: context)
        _ = try await action.run(ProxmoxLab.call(["vmid": .int(203), "timeout": .string("20m")]), context: context)
        #expect(context.messages == ["starting VM 201 (allowing 15m)", "starting VM 202 (allowing 5m)", "starting VM 203 (allowing 20m)"])
    }

    @Test func aLockedVMIsWaitedOutBeforeStarting() async throws {
        await fake.addVM(201, ["name": "cp-1", "lock": "backup"])
        await fake.unlock(201, afterReads: 2)
        let outputs = try await action.run(call, context: RecordingContext())
        #expect(outputs["status"] == .string("running"))
    }

    @Test func aMissingVMIsNamed() async throws {
        let failure = try #require(await ProxmoxLab.failure { _ = try await action.run(call, context: RecordingContext()) })
        #expect(failure.message.contains("VM 201 does not exist on node pve"))
        #expect(!failure.retryable)
    }
}
