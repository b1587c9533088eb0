import Foundation
import HomelabActions
import HomelabCore
import Testing

/// The seven actions through the live client against the lab's Proxmox double over HTTPS (real
/// tasks that take time, locks, guest agent): what a recovery runbook does with them.
@Suite(.serialized) struct ProxmoxActionsLabTests {
    /// The ISO the lab serves, named after the inventory's talos.version (lab/labkit/specs.py).
    func servedISO(_ lab: ProxmoxClientLab) throws -> String {
        try #require(try lab.inventory()["talos"]?["iso"]?["filename"]?.text)
    }
    /// The lab's inventory entry for its Proxmox double, and a step's inputs around it.
    func call(_ lab: ProxmoxClientLab, _ inputs: [String: Value]) throws -> ActionCall {
        let proxmox = try #require(try lab.inventory()["proxmox"])
        return ActionCall(step: "s", inputs: ["proxmox": proxmox, "token": .string(lab.token)].merging(inputs) { $1 })
    }

    /// cp-1's spec as the lab's inventory has it (8192 MiB, 64G).
    func cp1(_ lab: ProxmoxClientLab) throws -> Value {
        guard case .list(let nodes)? = try lab.inventory()["talos"]?["nodes"], let first = nodes.first else {
            throw LabInventoryUnreadable(path: lab.inventoryPath)
        }
        return first
    }

    @Test func aTalosNodeFromNothingToItsAddress() async throws {
        let lab = try await ProxmoxClientLab.start()
        let cp1Spec = try cp1(lab)
        let connector = LiveProxmoxConnector(trust: FingerprintTrust())
        let context = ClientLabContext()

        let version = try await ProxmoxVersion(proxmox: connector).run(call(lab, ["minimum": .string("8.2")]), context: context)
        #expect(version["node"] == .string(lab.node))

        let isoName = try servedISO(lab)
        let isoCall = try call(lab, ["filename": .string(isoName), "url": .string("\(lab.control)/files/\(isoName)")])
        let iso = ProxmoxISO(proxmox: connector)
        #expect(try await iso.run(isoCall, context: context) == ["volid": .string("local:iso/\(isoName)")])
        #expect(try await iso.probe(isoCall, context: context) == .satisfied("local:iso/\(isoName) is on the storage"))

        let vmCall = try call(lab, ["vm": cp1Spec, "iso": .string("local:iso/\(isoName)")])
        let vm = ProxmoxVM(proxmox: connector)
        let created = try await vm.run(vmCall, context: context)
        #expect(created["created"] == .bool(true))
        #expect(created["drift"] == .list([]))
        #expect(try await vm.probe(vmCall, context: context) == .satisfied("VM 201 'cp-1' exists as specified"))
        let again = try await vm.run(vmCall, context: context)
        #expect(again["created"] == .bool(false))
        #expect(again["fixed"] == .list([]))

        let start = ProxmoxStart(proxmox: connector)
        #expect(try await start.run(call(lab, ["vmid": .int(201), "settle": .string("100ms")]), context: context)["status"] == .string("running"))
        let address = try await ProxmoxWaitIP(proxmox: connector).run(
            call(lab, ["vmid": .int(201), "network": .string("127.0.10.0/24"), "interval": .string("200ms")]), context: context)
        #expect(address == ["address": .string("127.0.10.21"), "addresses": .list([.string("127.0.10.21")])])

        let destroy = ProxmoxDestroy(proxmox: connector)
        _ = try await destroy.run(call(lab, ["vmid": .int(201)]), context: context)
        #expect(try await destroy.probe(call(lab, ["vmid": .int(201)]), context: context) == .satisfied("VM 201 does not exist"))
        #expect(try await lab.count("POST", "/nodes/\(lab.node)/qemu") == 1)
    }

    @Test func aDriftedVMIsFixedInPlace() async throws {
        let lab = try await ProxmoxClientLab.start()
        let cp1Spec = try cp1(lab)
        let connector = LiveProxmoxConnector(trust: FingerprintTrust())
        let context = ClientLabContext()
        let vm = ProxmoxVM(proxmox: connector)
        _ = try await vm.run(call(lab, ["vm": cp1Spec]), context: context)
        let bigger: Value = .map(cp1Spec.keys.map { ($0, $0 == "memory" ? .int(12288) : $0 == "disk" ? .string("80G") : cp1Spec[$0]!) })
        let outputs = try await vm.run(call(lab, ["vm": bigger]), context: context)
        #expect(outputs["fixed"] == .list([.string("memory: 8192 -> 12288")]))
        #expect(outputs["drift"] == .list([.string("disk size: 64G -> 80G (not changed: resize disks by hand)")]))
        // The disk still differs: the plan says so, and that a run would leave it alone.
        #expect(
            try await vm.probe(call(lab, ["vm": bigger]), context: context)
                == .wouldChange("report without changing disk size: 64G -> 80G (not changed: resize disks by hand)"))
    }

    @Test func theNewestBackupIsRestored() async throws {
        let lab = try await ProxmoxClientLab.start()
        let connector = LiveProxmoxConnector(trust: FingerprintTrust())
        let context = ClientLabContext()
        let restore = ProxmoxRestore(proxmox: connector)
        let restoreCall = try call(lab, ["vmid": .int(211)])
        #expect(try await restore.probe(restoreCall, context: context) == .wouldChange("restore VM 211 from its newest backup"))
        let outputs = try await restore.run(restoreCall, context: context)
        #expect(outputs["archive"]?.text.contains("vzdump-qemu-211-2026_11_26-03_00_00") == true)
        #expect(try await restore.probe(restoreCall, context: context) == .satisfied("VM 211 exists; restore is only for a missing VM unless force: true"))
    }

    @Test func aResumeFindsTheCreateTaskACrashLeftRunningAndDoesNotCreateTwice() async throws {
        let lab = try await ProxmoxClientLab.start()
        let cp1Spec = try cp1(lab)
        let connector = LiveProxmoxConnector(trust: FingerprintTrust())
        let vm = ProxmoxVM(proxmox: connector)
        let vmCall = try call(lab, ["vm": cp1Spec])
        try await lab.post("/tasks/hold", ["type": "qmcreate", "vmid": 201])
        let crashed = Task { try await vm.run(vmCall, context: ClientLabContext()) }
        while try await lab.count("POST", "/nodes/\(lab.node)/qemu") == 0 { try await Task.sleep(for: .milliseconds(50)) }
        crashed.cancel() // the run dies between dispatch and the end of the task
        _ = await crashed.result

        let context = ClientLabContext()
        let resumed = Task { try await vm.run(vmCall, context: context) }
        while !context.messages.contains(where: { $0.contains("running qmcreate task") }) { try await Task.sleep(for: .milliseconds(50)) }
        try await lab.post("/tasks/release")
        let outputs = try await resumed.value
        #expect(outputs["created"] == .bool(false))
        #expect(outputs["fixed"] == .list([]))
        #expect(try await lab.count("POST", "/nodes/\(lab.node)/qemu") == 1)
    }

    @Test func aStartThatEndsOKWithTheVMDownFails() async throws {
        let lab = try await ProxmoxClientLab.start()
        let cp1Spec = try cp1(lab)
        let connector = LiveProxmoxConnector(trust: FingerprintTrust())
        _ = try await ProxmoxVM(proxmox: connector).run(call(lab, ["vm": cp1Spec]), context: ClientLabContext())
        try await lab.post("/start-lies", ["vmid": 201])
        let start = ProxmoxStart(proxmox: connector)
        let error = try await #require(throws: ActionError.self) {
            try await start.run(call(lab, ["vmid": .int(201), "settle": .string("100ms")]), context: ClientLabContext())
        }
        #expect(error.message.contains("ended OK but the VM is not running"))
        #expect(error.isRetryable)
        #expect(try await start.run(call(lab, ["vmid": .int(201), "settle": .string("100ms")]), context: ClientLabContext())["status"] == .string("running"))
    }

    @Test func aFailedRestoreIsCleanedUpSoTheRetryStartsClean() async throws {
        let lab = try await ProxmoxClientLab.start()
        let connector = LiveProxmoxConnector(trust: FingerprintTrust())
        let restore = ProxmoxRestore(proxmox: connector)
        let restoreCall = try call(lab, ["vmid": .int(211)])
        try await lab.post("/tasks/fail", ["type": "qmrestore", "vmid": 211, "exitstatus": "command 'zstd -q -d -c' failed: exit code 1"])
        let context = ClientLabContext()
        let error = try await #require(throws: ActionError.self) { try await restore.run(restoreCall, context: context) }
        #expect(error.message.contains("zstd"))
        #expect(error.isRetryable, "\(error.message)")
        #expect(try await ProxmoxDestroy(proxmox: connector).probe(restoreCall, context: context) == .satisfied("VM 211 does not exist"))
        let outputs = try await restore.run(restoreCall, context: context)
        #expect(outputs["vmid"] == .int(211))
    }
}
