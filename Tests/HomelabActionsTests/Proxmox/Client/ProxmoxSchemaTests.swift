import Foundation
import Testing

@testable import HomelabActions

/// Every ProxmoxAPI method of the client, driven through a recording transport, must send what
/// the real API's schema (pve-docs 9.1) accepts: the method on that path, known parameter
/// names, values of the right type.
struct ProxmoxSchemaTests {
    /// Answers every call with a plausible `data` so each method runs to its end.
    final class Recorder: ProxmoxTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var _requests: [ProxmoxRequest] = []
        var requests: [ProxmoxRequest] { lock.withLock { _requests } }

        func send(_ request: ProxmoxRequest) async throws -> ProxmoxReply {
            lock.withLock { _requests.append(request) }
            let data: String =
                switch (request.method, request.path.last ?? "") {
                case ("GET", "log"): #"[{"n":1,"t":"TASK OK"}]"#
                case ("GET", "status") where request.path.contains("tasks"): #"{"status":"stopped","exitstatus":"OK"}"#
                case ("GET", "version"), ("GET", "config"), ("GET", "current"), ("GET", "network-get-interfaces"): "{}"
                case ("GET", _): "[]"
                default: "\"\(ProxmoxSamples.createUPID)\""
                }
            return ProxmoxReply(status: 200, reason: "OK", json: "{\"data\":\(data)}")
        }
    }

    @Test func everyCallFitsTheRealAPI() async throws {
        let schema = try ProxmoxSchema.bundled()
        #expect(schema.count > 600)
        let recorder = Recorder()
        let client = ProxmoxClient(node: "pve", transport: recorder, policy: ProxmoxRetryPolicy(sleep: { _ in }))
        let talos: ProxmoxParameters = [
            "name": .string("talos-cp1"), "cores": .int(4), "sockets": .int(1), "memory": .string("8192"), "cpu": .string("host"),
            "scsihw": .string("virtio-scsi-single"), "scsi0": .string("local-zfs:32,discard=on,ssd=1,iothread=1"),
            "net0": .string("virtio=BC:24:11:00:00:01,bridge=vmbr0"), "ide2": .string("local:iso/talos.iso,media=cdrom"),
            "boot": .string("order=scsi0;ide2"), "agent": .string("enabled=1"), "ostype": .string("l26"),
            "tags": .string("k8s;talos"), "onboot": .bool(true), "bios": .string("ovmf"), "machine": .string("q35"),
            "efidisk0": .string("local-zfs:1,efitype=4m,pre-enrolled-keys=0"), "hostpci0": .string("mapping=gpu,pcie=1,x-vga=1"),
            "balloon": .int(0),
        ]
        let id = ProxmoxTaskID(ProxmoxSamples.createUPID)
        _ = try await client.version()
        _ = try await client.nodes()
        _ = try await client.vms()
        _ = try await client.config(vmid: 100)
        _ = try await client.status(vmid: 100)
        _ = try await client.create(vmid: 100, config: talos)
        _ = try await client.restore(
            vmid: 200, archive: "backup:backup/vzdump-qemu-200-2026_11_01-03_00_00.vma.zst",
            storage: "local-zfs", force: true, overrides: ["name": .string("gaming"), "cores": .int(8)])
        _ = try await client.updateConfig(vmid: 100, set: ["cores": .int(2), "tags": .string("talos")], delete: ["ide2", "hostpci0"], digest: "abc")
        for action in ProxmoxPowerAction.allCases { _ = try await client.power(vmid: 100, action) }
        _ = try await client.destroy(vmid: 100)
        _ = try await client.guestInterfaces(vmid: 100)
        _ = try await client.storages(content: "iso")
        _ = try await client.content(storage: "local", content: "backup", vmid: 200)
        _ = try await client.downloadURL(
            storage: "local",
            ProxmoxDownload(
                url: "https://factory.talos.dev/x.iso", filename: "talos.iso",
                checksum: "ab", checksumAlgorithm: "sha256", verifyCertificates: false))
        _ = try await client.upload(storage: "local", ProxmoxUpload(path: "/dev/null", filename: "talos.iso", checksum: "ab", checksumAlgorithm: "sha512"))
        _ = try await client.task(id)
        _ = try await client.taskLog(id, limit: 20)
        _ = try await client.tasks(vmid: 100, type: "qmcreate", running: true)
        _ = try await client.tasks(vmid: nil, type: nil, running: false)

        #expect(recorder.requests.count == 22)
        #expect(Set(recorder.requests.map(\.call)).count == 20)
        for request in recorder.requests {
            let problems = schema.problems(request)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test func theWalkerCatchesWhatTheServerWouldRefuse() throws {
        let schema = try ProxmoxSchema.bundled()
        let post = { (body: ProxmoxParameters) in ProxmoxRequest("POST", ["nodes", "pve", "qemu"], body: .json(body)) }
        #expect(schema.problems(post(["vmid": .int(100), "net0": .string("virtio")])).isEmpty)
        #expect(schema.problems(post(["vmid": .int(100), "net99x": .string("virtio")])) == ["POST /nodes/{node}/qemu: unknown parameter 'net99x'"])
        #expect(schema.problems(post(["vmid": .string("100")])).count == 1)
        #expect(schema.problems(post(["vmid": .int(100), "agent": .bool(true)])).count == 1) // a property string, not a boolean
        #expect(schema.problems(post(["vmid": .int(100), "bios": .string("uefi")])).count == 1)
        #expect(schema.problems(ProxmoxRequest("PATCH", ["nodes", "pve", "qemu"])) == ["PATCH /nodes/{node}/qemu: the API has no PATCH here"])
        #expect(schema.problems(ProxmoxRequest("GET", ["nodes", "pve", "vms"])) == ["GET /nodes/pve/vms: no such path in the API"])
        #expect(schema.problems(ProxmoxRequest("GET", ["nodes", "pve", "qemu", "abc", "config"])).count == 1)
        #expect(ProxmoxSchema.numbered("scsi12") == "scsi[n]")
        #expect(ProxmoxSchema.numbered("efidisk0") == "efidisk[n]")
    }
}
