// swift-tools-version:5.9
// The iOS shell: platform adapters and SwiftUI screens over the generated BrobyggerCore
// bindings. `scripts/build-xcframework.sh` (on a Mac) builds the Rust core for iOS and
// places the generated Swift and the XCFramework where these targets expect them.
import PackageDescription

let package = Package(
    name: "Brobygger",
    platforms: [.iOS(.v16)],
    products: [
        .library(name: "BrobyggerShell", targets: ["BrobyggerShell"]),
    ],
    targets: [
        .binaryTarget(name: "BrobyggerCoreFFI", path: "build/BrobyggerCoreFFI.xcframework"),
        .target(name: "BrobyggerCore", dependencies: ["BrobyggerCoreFFI"], path: "build/Generated"),
        .target(name: "BrobyggerShell", dependencies: ["BrobyggerCore"], path: "Sources/BrobyggerShell"),
        .testTarget(name: "BrobyggerShellTests", dependencies: ["BrobyggerShell"], path: "Tests/BrobyggerShellTests"),
    ]
)
