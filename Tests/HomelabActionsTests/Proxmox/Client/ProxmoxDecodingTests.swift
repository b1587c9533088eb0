import Testing

@testable import HomelabActions

/// The server does not enforce its return schema: numbers come as strings, booleans as 1/0.
struct ProxmoxDecodingTests {
    @Test func vmListAcceptsQuotedNumbersAndSplitsTags() async throws {
        let transport = ScriptedProxmoxTransport().on(
            "GET /nodes/pve/qemu",
            .data(
                """
                [{"vmid":"101","name":"talos-cp1","status":"running","tags":"k8s;talos","maxmem":2147483648},
                 {"vmid":200,"status":"stopped","lock":"backup","tags":"gaming"},
                 {"name":"no-id"}]
                """))
        let vms = try await ProxmoxSamples.client(transport).vms()
        #expect(
            vms == [
                ProxmoxVMSummary(vmid: 101, name: "talos-cp1", status: "running", lock: nil, tags: ["k8s", "talos"]),
                ProxmoxVMSummary(vmid: 200, name: nil, status: "stopped", lock: "backup", tags: ["gaming"]),
            ])
    }

    @Test func configKeepsEveryValueAsTextAndTheDigestApart() async throws {
        let transport = ScriptedProxmoxTransport().on(
            "GET /nodes/pve/qemu/100/config",
            .data(
                """
                {"cores":4,"memory":"4096","agent":true,"onboot":0,"cpulimit":1.5,
                 "net0":"virtio=BC:24:11:00:00:01,bridge=vmbr0","boot":"order=scsi0;ide2","digest":"3f2a"}
                """))
        let config = try #require(try await ProxmoxSamples.client(transport).config(vmid: 100))
        #expect(
            config.values == [
                "cores": "4", "memory": "4096", "agent": "1", "onboot": "0", "cpulimit": "1.5",
                "net0": "virtio=BC:24:11:00:00:01,bridge=vmbr0", "boot": "order=scsi0;ide2",
            ])
        #expect(config.digest == "3f2a")
        #expect(config.lock == nil)
    }

    @Test func statusAndMissingVMs() async throws {
        let transport = ScriptedProxmoxTransport()
            .on(
                "GET /nodes/pve/qemu/100/status/current",
                .data(#"{"status":"running","qmpstatus":"running","uptime":"42","name":"cp1","lock":"backup","vmid":100}"#)
            )
            .on(
                "GET /nodes/pve/qemu/404/status/current",
                .error(500, "Configuration file 'nodes/pve/qemu-server/404.conf' does not exist")
            )
            .on(
                "GET /nodes/pve/qemu/404/config",
                .error(500, "Configuration file 'nodes/pve/qemu-server/404.conf' does not exist"))
        let client = ProxmoxSamples.client(transport)
        #expect(try await client.status(vmid: 100) == ProxmoxVMStatus(status: "running", qmpStatus: "running", lock: "backup", name: "cp1", uptime: 42))
        #expect(try await client.status(vmid: 404) == nil)
        #expect(try await client.config(vmid: 404) == nil)
    }

    @Test func versionNodesStoragesAndVolumes() async throws {
        let transport = ScriptedProxmoxTransport()
            .on("GET /version", .data(#"{"version":"9.1.1","release":"9.1","repoid":"42d8e2b0"}"#))
            .on("GET /nodes", .data(#"[{"node":"pve","status":"online","ssl_fingerprint":"AA:BB","maxcpu":16}]"#))
            .on(
                "GET /nodes/pve/storage",
                .data(
                    """
                    [{"storage":"local","type":"dir","content":"iso,vztmpl,backup","active":1,"avail":"1000"},
                     {"storage":"local-zfs","type":"zfspool","content":"images,rootdir","active":"0"}]
                    """)
            )
            .on(
                "GET /nodes/pve/storage/local/content",
                .data(
                    """
                    [{"volid":"local:backup/vzdump-qemu-200-2026_11_01-03_00_00.vma.zst","format":"vma.zst","size":"123","ctime":1761966000,"vmid":"200","content":"backup"}]
                    """))
        let client = ProxmoxSamples.client(transport)
        #expect(try await client.version() == ProxmoxVersionInfo(version: "9.1.1", release: "9.1", repoid: "42d8e2b0"))
        #expect(try await client.nodes() == [ProxmoxNodeInfo(node: "pve", status: "online", sslFingerprint: "AA:BB")])
        #expect(
            try await client.storages(content: "iso") == [
                ProxmoxStorage(storage: "local", type: "dir", content: ["iso", "vztmpl", "backup"], active: true, available: 1000),
                ProxmoxStorage(storage: "local-zfs", type: "zfspool", content: ["images", "rootdir"], active: false, available: nil),
            ])
        #expect(
            try await client.content(storage: "local", content: "backup", vmid: 200) == [
                ProxmoxVolume(
                    volid: "local:backup/vzdump-qemu-200-2026_11_01-03_00_00.vma.zst", format: "vma.zst",
                    content: "backup", size: 123, ctime: 1_761_966_000, vmid: 200)
            ])
        #expect(transport.requests("GET /nodes/pve/storage").first?.encodedQuery == "content=iso")
        #expect(transport.requests("GET /nodes/pve/storage/local/content").first?.encodedQuery == "content=backup&vmid=200")
    }

    @Test func guestInterfacesFromTheAgentResult() async throws {
        let transport = ScriptedProxmoxTransport().on(
            "GET /nodes/pve/qemu/101/agent/network-get-interfaces",
            .data(
                """
                {"result":[{"name":"lo","hardware-address":"00:00:00:00:00:00","ip-addresses":[{"ip-address-type":"ipv4","ip-address":"127.0.0.1","prefix":8}]},
                           {"name":"eth0","hardware-address":"bc:24:11:00:00:01","ip-addresses":[{"ip-address-type":"ipv4","ip-address":"10.0.0.21","prefix":"24"},{"ip-address-type":"ipv6","ip-address":"fe80::1","prefix":64}]},
                           {"name":"dummy0"}]}
                """))
        let interfaces = try await ProxmoxSamples.client(transport).guestInterfaces(vmid: 101)
        #expect(interfaces.map(\.name) == ["lo", "eth0", "dummy0"])
        #expect(interfaces[1].addresses == [.init(family: "ipv4", address: "10.0.0.21", prefix: 24), .init(family: "ipv6", address: "fe80::1", prefix: 64)])
        #expect(interfaces[1].hardwareAddress == "bc:24:11:00:00:01")
        #expect(interfaces[2].addresses.isEmpty)
    }

    @Test func taskListMarksRunningTasksByTheirMissingStatus() async throws {
        let transport = ScriptedProxmoxTransport().on(
            "GET /nodes/pve/tasks",
            .data(
                "[\(ProxmoxSamples.task("qmstart", vmid: 100, start: 100, status: nil)),\(ProxmoxSamples.task("qmcreate", vmid: 100, start: 50, status: "OK"))]"
            ))
        let tasks = try await ProxmoxSamples.client(transport).tasks(vmid: 100, type: "qmstart", running: true)
        #expect(tasks.map(\.type) == ["qmstart", "qmcreate"])
        #expect(tasks.map(\.status) == [nil, "OK"])
        #expect(tasks.map(\.vmid) == [100, 100])
        #expect(tasks.map(\.startTime) == [100, 50])
        #expect(transport.requests.first?.encodedQuery == "vmid=100&typefilter=qmstart&source=active")
    }

    @Test func taskLogFetchesOnlyTheTail() async throws {
        let id = ProxmoxTaskID(ProxmoxSamples.createUPID)
        let path = "GET /nodes/pve/tasks/\(id.upid)/log"
        let transport = ScriptedProxmoxTransport().on(
            path,
            .reply(.init(status: 200, json: #"{"data":[{"n":1,"t":"line 1"},{"n":2,"t":"line 2"}],"total":"5"}"#)),
            .reply(.init(status: 200, json: #"{"data":[{"n":4,"t":"line 4"},{"n":5,"t":"TASK ERROR: boom"}],"total":5}"#)))
        let lines = try await ProxmoxSamples.client(transport).taskLog(id, limit: 2)
        #expect(lines == ["line 4", "TASK ERROR: boom"])
        #expect(transport.requests.map(\.encodedQuery) == ["start=0&limit=2", "start=3&limit=2"])
    }

    @Test func lenientScalars() throws {
        let json = try #require(ProxmoxJSON.parse(Array(#"{"a":"12","b":1,"c":"true","d":0,"e":2.0,"f":"x","g":true}"#.utf8)))
        #expect(json["a"].int == 12)
        #expect(json["b"].bool == true)
        #expect(json["c"].bool == true)
        #expect(json["d"].bool == false)
        #expect(json["e"].int == 2)
        #expect(json["e"].text == "2")
        #expect(json["f"].int == nil)
        #expect(json["g"].text == "1")
        #expect(json["missing"].isNull)
        #expect(ProxmoxJSON.parse(Array("not json".utf8)) == nil)
    }
}
