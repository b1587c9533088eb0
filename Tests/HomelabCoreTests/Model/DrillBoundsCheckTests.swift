import Foundation
import HomelabCore
import Testing

/// The drill sandbox of the inventory (`drill:`) is checked against the rest of the inventory:
/// every problem at once, each at the offending value, naming what it collides with and where.
@Suite struct DrillBoundsCheckTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// A small inventory; `drill` is appended by each test, from line 27 on.
    static let base = """
        network:
          lan: 192.168.10.0/24
          gateway: 192.168.10.1
        proxmox:
          address: 192.168.10.2
          bridge: vmbr0
        zfs:
          pools:
            - name: tank
            - name: backup
        talos:
          vip: 192.168.10.20
          nodes:
            - name: cp-1
              vmid: 201
              ip: 192.168.10.21
            - name: worker-1
              vmid: 211
              ip: 192.168.10.31
        gaming:
          - name: windows
            vmid: 301
        wireguard:
          vps-address: 10.200.0.1
          homelab-address: 10.200.0.2
        # the drill follows

        """

    static func check(_ drill: String, datasets: [String] = []) throws -> [String] {
        let (root, diagnostics) = YAMLLoader().load(text: base + drill, file: "inventory.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.rendered))")
        let inventory = Inventory(file: "inventory.yaml", root: try #require(root))
        return DrillBoundsCheck.check(inventory, datasets: datasets).map(\.rendered)
    }

    @Test func theRepositorysInventoryHasSoundDrillBounds() throws {
        let path = Self.repository + "/inventory.yaml"
        let root = try #require(YAMLLoader().load(path: path, displayPath: "inventory.yaml").0)
        let inventory = Inventory(file: "inventory.yaml", root: root)
        let (storage, storageDiagnostics) = StorageLoader().load(directory: Self.repository + "/storage", inventory: inventory)
        #expect(storageDiagnostics.isEmpty)
        let datasets = try #require(storage).datasets.map(\.name)
        #expect(root["drill"] != nil, "inventory.yaml has no drill section")
        #expect(DrillBoundsCheck.check(inventory, datasets: datasets).map(\.rendered) == [])
    }

    @Test func soundBoundsGiveNothing() throws {
        let drill = """
            drill:
              vmid-range: [900, 999]
              dataset-prefix: tank/drill
              bridge: vmbr9
              addresses: 172.16.99.0/24
            """
        #expect(try Self.check(drill, datasets: ["tank/apps", "tank/apps/immich", "tank/media"]) == [])
    }

    @Test func noDrillSectionHasNothingToCheck() throws {
        #expect(try Self.check("") == [])
    }

    @Test func everyCollisionIsReportedAtItsValue() throws {
        let drill = """
            drill:
              vmid-range: [200, 301]
              dataset-prefix: tank/apps/drill
              bridge: vmbr0
              addresses: 192.168.10.16/29
            """
        #expect(
            try Self.check(drill, datasets: ["tank/apps", "tank/apps/immich"]) == [
                "inventory.yaml:28:15: error: 'drill.vmid-range' [200, 301] holds VMID 201 of Talos node 'cp-1' (inventory.yaml:15:13); a drill could overwrite it: choose a range without the real VMs",
                "inventory.yaml:28:15: error: 'drill.vmid-range' [200, 301] holds VMID 211 of Talos node 'worker-1' (inventory.yaml:18:13); a drill could overwrite it: choose a range without the real VMs",
                "inventory.yaml:28:15: error: 'drill.vmid-range' [200, 301] holds VMID 301 of gaming VM 'windows' (inventory.yaml:22:11); a drill could overwrite it: choose a range without the real VMs",
                "inventory.yaml:29:19: error: 'drill.dataset-prefix' tank/apps/drill lies inside the real dataset tank/apps (storage/): its snapshots and replicas would carry the drill's data; put it beside, such as tank/drill",
                "inventory.yaml:30:11: error: 'drill.bridge' is the LAN's bridge vmbr0 (proxmox.bridge, inventory.yaml:6:11); restored VMs keep the real VMs' MACs: give the drill a bridge without uplink",
                "inventory.yaml:31:14: error: 'drill.addresses' 192.168.10.16/29 holds Talos node 'cp-1' 192.168.10.21 (inventory.yaml:16:11); choose a range apart from the addresses in use",
                "inventory.yaml:31:14: error: 'drill.addresses' 192.168.10.16/29 holds the Talos VIP (talos.vip) 192.168.10.20 (inventory.yaml:12:8); choose a range apart from the addresses in use",
            ])
    }

    @Test func theGatewayHostAndTunnelAddressesAreInUseToo() throws {
        let lan = try Self.check("drill:\n  vmid-range: [900, 999]\n  dataset-prefix: tank/drill\n  bridge: vmbr9\n  addresses: 192.168.10.0/30\n")
        #expect(lan.count == 2)
        #expect(lan.contains { $0.contains("holds the gateway (network.gateway) 192.168.10.1 (inventory.yaml:3:12)") })
        #expect(lan.contains { $0.contains("holds the Proxmox host (proxmox.address) 192.168.10.2 (inventory.yaml:5:12)") })
        let tunnel = try Self.check("drill:\n  vmid-range: [900, 999]\n  dataset-prefix: tank/drill\n  bridge: vmbr9\n  addresses: 10.200.0.0/16\n")
        #expect(tunnel.count == 2)
        #expect(tunnel.allSatisfy { $0.hasPrefix("inventory.yaml:31:14: error:") && $0.contains("wireguard.") })
    }

    @Test func aRealDatasetInsideThePrefixIsReported() throws {
        let found = try Self.check(
            "drill:\n  vmid-range: [900, 999]\n  dataset-prefix: tank/media\n  bridge: vmbr9\n  addresses: 172.16.99.0/24\n",
            datasets: ["tank/media", "tank/media/films"])
        #expect(
            found == [
                "inventory.yaml:29:19: error: 'drill.dataset-prefix' tank/media holds the real dataset tank/media (storage/); a drill could destroy it",
                "inventory.yaml:29:19: error: 'drill.dataset-prefix' tank/media holds the real dataset tank/media/films (storage/); a drill could destroy it",
            ])
    }

    @Test func malformedValuesAreReportedWithWhatToWrite() throws {
        let drill = """
            drill:
              vmid-range: [999, 900]
              dataset-prefix: tnak/drill
              bridge: "vmbr 9"
              addresses: 172.16.99.5/24
              bridges: vmbr8
            """
        let found = try Self.check(drill)
        #expect(
            found == [
                "inventory.yaml:28:15: error: 'drill.vmid-range' starts after it ends ([999, 900]); write [900, 999]",
                "inventory.yaml:29:19: error: 'drill.dataset-prefix' is on pool 'tnak', which is not in the inventory (it has tank, backup) (did you mean 'tank'?)",
                "inventory.yaml:30:11: error: 'drill.bridge' must be a bridge name such as vmbr9, found 'vmbr 9'",
                "inventory.yaml:31:14: error: 'drill.addresses' is not a network in CIDR form: '172.16.99.5/24' (did you mean 172.16.99.0/24?)",
                "inventory.yaml:32:3: error: unknown key 'bridges' in 'drill' (did you mean 'bridge'?)",
            ], "\(found)")
    }

    @Test(arguments: [
        ("[900]", "must be [first, last], two VMIDs (such as [900, 999])"),
        ("[900, x]", "must be [first, last], two VMIDs (such as [900, 999])"),
        ("900-999", "must be [first, last], two VMIDs (such as [900, 999])"),
        ("[50, 99]", "must lie within Proxmox's VMIDs 100...999999999, found [50, 99]"),
    ])
    func aVMIDRangeMustBeTwoVMIDs(_ range: String, _ message: String) throws {
        let found = try Self.check("drill:\n  vmid-range: \(range)\n  dataset-prefix: tank/drill\n  bridge: vmbr9\n  addresses: 172.16.99.0/24\n")
        #expect(found == ["inventory.yaml:28:15: error: 'drill.vmid-range' \(message)"])
    }

    @Test func aWholePoolOrAMissingKeyIsReported() throws {
        let found = try Self.check("drill:\n  dataset-prefix: tank\n  bridge: vmbr9\n")
        #expect(
            found == [
                "inventory.yaml:28:3: error: 'drill' has no 'addresses': the drill needs all of vmid-range, dataset-prefix, bridge, addresses",
                "inventory.yaml:28:3: error: 'drill' has no 'vmid-range': the drill needs all of vmid-range, dataset-prefix, bridge, addresses",
                "inventory.yaml:28:19: error: 'drill.dataset-prefix' is the whole pool 'tank'; give the drill a dataset of its own, such as tank/drill",
            ])
    }
}
