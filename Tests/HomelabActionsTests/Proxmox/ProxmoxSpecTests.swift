import HomelabActions
import HomelabCore
import Testing

@Suite("Proxmox VM spec")
struct ProxmoxVMSpecTests {
    @Test func theTalosNodeRendersToTheConfigTalosNeeds() throws {
        let spec = try VMSpec.parse(ProxmoxLab.cp1, defaults: .init(storage: "local-zfs", bridge: "vmbr0", iso: "local:iso/talos-v1.11.5.iso"))
        #expect(
            spec.parameters == [
                "name": .string("cp-1"), "cores": .int(4), "memory": .string("8192"), "cpu": .string("host"),
                "scsihw": .string("virtio-scsi-single"), "scsi0": .string("local-zfs:64,discard=on,ssd=1,iothread=1"),
                "net0": .string("virtio,bridge=vmbr0"), "ide2": .string("local:iso/talos-v1.11.5.iso,media=cdrom"),
                "boot": .string("order=scsi0;ide2"), "ostype": .string("l26"), "agent": .string("1"),
            ])
        #expect(spec.summary == "VM 201 'cp-1' (4 cores, 8192 MiB, 64G on local-zfs)")
    }

    @Test func theWindowsGamingVMGetsFirmwareTPMAndItsGPU() throws {
        let spec = try VMSpec.parse(ProxmoxLab.windows)
        let parameters = spec.parameters
        #expect(parameters["machine"] == .string("q35"))
        #expect(parameters["bios"] == .string("ovmf"))
        #expect(parameters["efidisk0"] == .string("local-zfs:1,efitype=4m,pre-enrolled-keys=1"))
        #expect(parameters["tpmstate0"] == .string("local-zfs:1,version=v2.0"))
        #expect(parameters["hostpci0"] == .string("mapping=amd-igpu,pcie=1,x-vga=1"))
        #expect(parameters["ostype"] == .string("win11"))
        #expect(parameters["balloon"] == .int(0))
        #expect(parameters["boot"] == .string("order=scsi0"))
        #expect(parameters["ide2"] == nil)
        #expect(spec.summary == "VM 301 'windows' (8 cores, 16384 MiB, 256G on local-zfs, q35/OVMF, GPU amd-igpu, TPM)")
    }

    @Test func macVlanTagsAndOptionsAreRendered() throws {
        let entry: Value = .map([
            ("vmid", .int(211)), ("name", .string("worker-1")), ("mac", .string("bc:24:11:00:02:11")), ("vlan", .int(20)),
            ("tags", .list([.string("Talos"), .string("k8s")])), ("onboot", .bool(true)), ("bridge", .string("vmbr1")),
        ])
        let parameters = try VMSpec.parse(entry).parameters
        #expect(parameters["net0"] == .string("virtio=BC:24:11:00:02:11,bridge=vmbr1,tag=20"))
        #expect(parameters["tags"] == .string("talos;k8s"))
        #expect(parameters["onboot"] == .bool(true))
        #expect(parameters["boot"] == nil) // no disk, no ISO: Proxmox picks the order
    }

    @Test(arguments: [
        (
            Value.map([("name", .string("cp-1")), ("vmid", .int(201)), ("memory", .string("lots"))]),
            "'memory' of cp-1 must be an integer (MiB), found a string 'lots'"
        ),
        (Value.map([("name", .string("cp-1")), ("vmid", .int(201)), ("memroy", .int(8192))]), "unknown key 'memroy' in cp-1 (did you mean 'memory'?)"),
        (Value.map([("name", .string("windows")), ("vmid", .int(301)), ("gpu", .string("amd-igpu"))]), "'gpu' of windows needs 'machine: q35'"),
        (Value.map([("name", .string("cp-1")), ("memory", .int(8192))]), "cp-1 has no 'vmid'"),
        (Value.map([("vmid", .int(201)), ("disk", .string("lots"))]), "'disk' of VM 201 must be a size in GiB"),
        (Value.map([("vmid", .int(201)), ("mac", .string("bc:24:11"))]), "'mac' of VM 201 must be a MAC address"),
        (Value.map([("vmid", .int(201)), ("tags", .list([.string("no space")]))]), "'tags' of VM 201 has 'no space'"),
        (Value.map([("vmid", .int(201)), ("name", .string("cp_1"))]), "'name' of cp_1 must be a DNS name"),
        (Value.map([("vmid", .int(201)), ("agent", .string("maybe"))]), "'agent' of VM 201 must be true or false"),
        (Value.map([("vmid", .int(201)), ("cores", .list([]))]), "'cores' of VM 201 must be an integer, found a list"),
        (Value.map([("vmid", .int(42))]), "'vmid' of the VM entry must be between 100"),
        (Value.string("cp-1"), "must be a mapping"),
    ])
    func aBadSpecIsRefusedNamingTheKey(entry: Value, expected: String) {
        #expect { try VMSpec.parse(entry) } throws: { error in
            "\(error)".contains(expected)
        }
    }

    @Test func inventoryFactsAreIgnored() throws {
        let spec = try VMSpec.parse(ProxmoxLab.cp1)
        #expect(spec.parameters["role"] == nil)
        #expect(spec.parameters["ip"] == nil)
    }
}

@Suite("Proxmox VM drift")
struct ProxmoxVMDriftTests {
    let spec = try! VMSpec.parse(ProxmoxLab.cp1, defaults: .init(iso: "local:iso/talos.iso"))

    @Test func aVMCreatedFromTheSpecHasNoDrift() {
        #expect(VMDrift.compare(spec, ProxmoxVMConfig(values: ProxmoxLab.created(spec), digest: "d")).isEmpty)
    }

    @Test func theServersSpellingIsNotDrift() throws {
        var spec = try VMSpec.parse(
            .map([("name", .string("w")), ("vmid", .int(211)), ("tags", .list([.string("k8s"), .string("Talos")])), ("disk", .int(64))]))
        spec.mac = "BC:24:11:00:02:11"
        var values = ProxmoxLab.created(spec)
        values["tags"] = "talos;k8s"
        values["net0"] = "virtio=bc:24:11:00:02:11,bridge=vmbr0,firewall=1"
        values["memory"] = "current=512"
        values["scsi0"] = "local-zfs:vm-211-disk-0,discard=on,iothread=1,size=65536M,ssd=1"
        values["agent"] = "enabled=1,fstrim_cloned_disks=1"
        values["cpu"] = "cputype=host"
        #expect(VMDrift.compare(spec, ProxmoxVMConfig(values: values, digest: "d")).isEmpty)
    }

    @Test func safeDifferencesAreFixableAndDiskOnesOnlyReported() {
        var values = ProxmoxLab.created(spec)
        values["memory"] = "4096"
        values["cores"] = "2"
        values["net0"] = "virtio=BC:24:11:AA:BB:CC,bridge=vmbr9,firewall=1"
        values["scsi0"] = "local-lvm:vm-201-disk-0,size=32G"
        values["machine"] = "q35"
        let drift = VMDrift.compare(spec, ProxmoxVMConfig(values: values, digest: "d"))
        #expect(
            drift.fixable.map(\.description) == [
                "memory: 4096 -> 8192", "cores: 2 -> 4",
                "net0: virtio=BC:24:11:AA:BB:CC,bridge=vmbr9,firewall=1 -> virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1",
            ])
        #expect(drift.fixes == ["memory": .string("8192"), "cores": .int(4), "net0": .string("virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1")])
        #expect(drift.unfixable.count == 2)
        #expect(drift.unfixable.contains { $0.hasPrefix("disk size: 32G -> 64G") })
        #expect(drift.unfixable.contains { $0.hasPrefix("disk storage: local-lvm -> local-zfs") })
    }

    @Test func firmwareAndPassthroughDifferencesAreOnlyReported() throws {
        let windows = try VMSpec.parse(ProxmoxLab.windows)
        var values = ProxmoxLab.created(windows)
        values["bios"] = nil
        values["efidisk0"] = nil
        values["tpmstate0"] = nil
        values["hostpci0"] = "mapping=nvidia,pcie=1"
        values["machine"] = "pc-i440fx-9.0"
        let drift = VMDrift.compare(windows, ProxmoxVMConfig(values: values, digest: "d"))
        #expect(drift.fixable.isEmpty)
        #expect(drift.unfixable.map { String($0.prefix(while: { $0 != ":" })) } == ["machine", "bios", "efidisk0", "tpmstate0", "hostpci0"])
    }
}

@Suite("Proxmox property strings and networks")
struct ProxmoxValueParsingTests {
    @Test func propertyStringsKeepOrderAndTheDefaultKey() {
        var net = PropertyString("virtio=BC:24:11:00:00:01,bridge=vmbr0,tag=10")
        #expect(net.first?.key == "virtio")
        #expect(net.value("bridge") == "vmbr0")
        net.set("tag", nil)
        net.set("firewall", "1")
        #expect(net.text == "virtio=BC:24:11:00:00:01,bridge=vmbr0,firewall=1")
        #expect(PropertyString("8192").value("current", defaultKey: "current") == "8192")
        #expect(PropertyString("order=scsi0;ide2").value("order") == "scsi0;ide2")
    }

    @Test(arguments: [
        ("192.168.10.0/24", "192.168.10.21", true), ("192.168.10.0/24", "192.168.11.21", false),
        ("10.0.0.0/8", "10.244.1.7", true), ("192.168.10.128/25", "192.168.10.127", false),
        ("0.0.0.0/0", "8.8.8.8", true), ("fd00::/8", "fd12:3456::1", true), ("fd00::/8", "fe80::1", false),
        ("2001:db8::/32", "2001:db8:0:1::5", true), ("192.168.10.0/24", "2001:db8::1", false),
        ("::ffff:0:0/96", "::ffff:192.168.10.2", true),
    ])
    func networksContainTheirAddresses(network: String, address: String, inside: Bool) throws {
        #expect(try #require(IPNetwork(network)).contains(address) == inside)
    }

    @Test func badNetworksAreRejected() {
        for text in ["192.168.10.0/33", "192.168.10/24", "300.1.1.1/8", "fd00:::1/8", "1:2:3:4:5:6:7:8:9/64", "lan"] {
            #expect(IPNetwork(text) == nil, "\(text)")
        }
    }

    @Test func loopbackLinkLocalAndMulticastAreNotUsable() {
        #expect(IPNetwork.isUsable("192.168.10.21"))
        #expect(IPNetwork.isUsable("2001:db8::5"))
        for address in ["127.0.0.1", "169.254.3.4", "224.0.0.251", "0.0.0.0", "::1", "::", "fe80::1%eth0", "ff02::1"] {
            #expect(!IPNetwork.isUsable(address), "\(address)")
        }
    }
}
