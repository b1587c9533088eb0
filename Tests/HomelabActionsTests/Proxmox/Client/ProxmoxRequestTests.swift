import Foundation
import HomelabTransport
import Testing

@testable import HomelabActions

/// What goes on the wire: encoded paths and queries, JSON bodies, the upload form, the headers.
struct ProxmoxRequestTests {
    @Test func upidPathSegmentsArePercentEncoded() async throws {
        let id = ProxmoxTaskID("UPID:pve:00001A2B:0000C0DE:67A0B1C2:qmcreate:100:root@pam!homelab:")
        let transport = ScriptedProxmoxTransport().on(
            "GET /nodes/pve/tasks/\(id.upid)/status",
            .data(#"{"status":"running","upid":"\#(id.upid)"}"#))
        _ = try await ProxmoxSamples.client(transport).task(id)
        #expect(
            transport.requests.first?.encodedPath
                == "/nodes/pve/tasks/UPID%3Apve%3A00001A2B%3A0000C0DE%3A67A0B1C2%3Aqmcreate%3A100%3Aroot%40pam%21homelab%3A/status")
    }

    @Test func tasksArePolledOnTheNodeInTheirUPID() async throws {
        let id = ProxmoxTaskID("UPID:pve2:00001A2B:0000C0DE:67A0B1C2:qmstart:100:root@pam!homelab:")
        let transport = ScriptedProxmoxTransport().on("GET /nodes/pve2/tasks/\(id.upid)/status", .data(#"{"status":"running"}"#))
        let status = try await ProxmoxSamples.client(transport).task(id)
        #expect(status.id == id)
        #expect(status.isRunning)
    }

    @Test func queryValuesEncodeEverythingButUnreservedCharacters() {
        let request = ProxmoxRequest(
            "GET", ["x"],
            query: [
                .init("net0", .string("virtio,bridge=vmbr0;+aes &x ü/~")), .init("purge", .bool(true)), .init("vmid", .int(100)),
            ])
        #expect(request.encodedQuery == "net0=virtio%2Cbridge%3Dvmbr0%3B%2Baes%20%26x%20%C3%BC%2F~&purge=1&vmid=100")
        #expect(ProxmoxURLEncoding.encode("Aa0-._~") == "Aa0-._~")
    }

    @Test func destroyPutsItsParametersInTheQueryAsOneAndZero() async throws {
        let transport = ScriptedProxmoxTransport().on("DELETE /nodes/pve/qemu/100", .data("\"\(ProxmoxSamples.upid("qmdestroy", "100"))\""))
        let id = try await ProxmoxSamples.client(transport).destroy(vmid: 100)
        #expect(id?.type == "qmdestroy")
        let request = try #require(transport.requests.first)
        #expect(request.encodedQuery == "purge=1&destroy-unreferenced-disks=1")
        #expect(request.body == .none)
    }

    @Test func bodiesAreJSONWithRealBooleansAndUntouchedSeparators() throws {
        let bytes = ProxmoxJSONBody.encode([
            "boot": .string("order=scsi0;ide2"), "cpu": .string("host,flags=+aes"), "agent": .bool(true),
            "cores": .int(4), "description": .string("line \"one\"\nback\\slash\u{1}"),
        ])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == #"{"agent":true,"boot":"order=scsi0;ide2","cores":4,"cpu":"host,flags=+aes","description":"line \"one\"\nback\\slash\u0001"}"#)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(parsed["description"] as? String == "line \"one\"\nback\\slash\u{1}")
    }

    @Test func theLiveTransportSendsTheTokenJSONAndTheRightTimeout() throws {
        let client = try HTTPClient()
        let transport = LiveProxmoxTransport(
            client: client, baseURL: "https://pve:8006/api2/json/", token: "root@pam!homelab=secret-uuid",
            timeouts: ProxmoxTimeouts(request: .seconds(30), transfer: .seconds(7200)))
        let create = transport.httpRequest(for: ProxmoxRequest("POST", ["nodes", "pve", "qemu"], body: .json(["vmid": .int(100)])))
        #expect(create.url == "https://pve:8006/api2/json/nodes/pve/qemu")
        #expect(create.headers["Authorization"] == "PVEAPIToken=root@pam!homelab=secret-uuid")
        #expect(create.headers["Content-Type"] == "application/json")
        #expect(create.timeout == .seconds(30))
        guard case .bytes(let bytes) = create.body else {
            Issue.record("not a byte body")
            return
        }
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"vmid":100}"#)

        let list = transport.httpRequest(for: ProxmoxRequest("GET", ["nodes", "pve", "tasks"], query: [.init("vmid", .int(100))]))
        #expect(list.url == "https://pve:8006/api2/json/nodes/pve/tasks?vmid=100")
        #expect(list.headers["Content-Type"] == nil)
        guard case .none = list.body else {
            Issue.record("a GET carries no body")
            return
        }

        let upload = transport.httpRequest(
            for: ProxmoxRequest(
                "POST", ["nodes", "pve", "storage", "local", "upload"],
                body: .upload(ProxmoxUpload(path: "/tmp/talos.iso", filename: "talos.iso")), purpose: .transfer))
        #expect(upload.timeout == .seconds(7200))
    }

    @Test func uploadFieldsGoInTheOrderTheServerParsesThem() {
        let form = ProxmoxUploadForm.form(
            for: ProxmoxUpload(
                path: "/srv/talos-1.9.iso", filename: "talos.iso", content: "iso",
                checksum: "abc123", checksumAlgorithm: "sha512"))
        let names = form.parts.map { part -> String in
            switch part {
            case .field(let name, let value): "\(name)=\(value)"
            case .file(let name, let path, let filename, _): "\(name):\(filename)<\(path)"
            }
        }
        #expect(names == ["content=iso", "checksum-algorithm=sha512", "checksum=abc123", "filename:talos.iso</srv/talos-1.9.iso"])
        let plain = ProxmoxUploadForm.form(for: ProxmoxUpload(path: "/srv/x.iso", filename: "x.iso"))
        #expect(plain.parts.count == 2)
    }

    @Test func storedNamesFollowProxmoxNormalisation() {
        #expect(ProxmoxClient.storedName("talos v1.9 (amd64).iso") == "talos_v1.9__amd64_.iso")
        #expect(ProxmoxClient.storedName("metal-amd64_1.9.iso") == "metal-amd64_1.9.iso")
    }
}
