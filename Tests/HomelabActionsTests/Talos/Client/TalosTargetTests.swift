import HomelabActions
import Testing

@Suite("Talos targets")
struct TalosTargetTests {
    @Test(arguments: [
        ("10.0.0.11", "https://10.0.0.11:50000"),
        ("10.0.0.11:50001", "https://10.0.0.11:50001"),
        ("cp-1.lab.home.arpa", "https://cp-1.lab.home.arpa:50000"),
        ("https://talos.example", "https://talos.example:443"),
        ("https://talos.example:50000/", "https://talos.example:50000"),
        ("fd00::11", "https://[fd00::11]:50000"),
        ("[fd00::11]:50001", "https://[fd00::11]:50001"),
        ("[fd00::11]", "https://[fd00::11]:50000"),
    ])
    func anEndpointBecomesAURL(endpoint: String, url: String) {
        #expect(TalosTarget(endpoint: endpoint, mode: .maintenance(pin: nil)).url == url)
    }

    @Test func theDescriptionNamesTheNodeAndTheWay() {
        #expect("\(TalosTarget(endpoint: "10.0.0.11", node: "10.0.0.21", mode: .maintenance(pin: nil)))" == "node 10.0.0.21 via 10.0.0.11:50000")
        #expect("\(TalosTarget(endpoint: "10.0.0.21", mode: .maintenance(pin: nil)))" == "node 10.0.0.21:50000")
    }
}
