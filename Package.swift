// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "homelab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "homelab", targets: ["homelab"]),
        .library(name: "HomelabCore", targets: ["HomelabCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .executableTarget(
            name: "homelab",
            dependencies: [
                "HomelabCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "HomelabCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // Fixtures are read from the source tree by path, not bundled as resources.
        .testTarget(name: "HomelabCoreTests", dependencies: ["HomelabCore", "Yams"], exclude: ["Fixtures"]),
        .testTarget(name: "homelabTests", dependencies: ["HomelabCore"]),
    ],
    swiftLanguageModes: [.v6]
)
