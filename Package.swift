// swift-tools-version: 6.2
import PackageDescription

let package = Package(
  name: "ClusterSim",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "ClusterSim", targets: ["ClusterSim"]),
    .executable(name: "clustersim", targets: ["clustersim"]),
  ],
  dependencies: [
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // Builds the HTML report (`clustersim report`): elements and attributes as values.
    .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CNUMA",
      pkgConfig: "numa",
      providers: [.apt(["libnuma-dev"])]
    ),
    .target(
      name: "SimKernel",
      dependencies: []
    ),
    .target(name: "ParallelCore", dependencies: ["CNUMA"]),
    .target(
      name: "ClusterSim",
      dependencies: [
        "SimKernel", "ParallelCore",
        .product(name: "Yams", package: "Yams"),
        .product(name: "Plot", package: "Plot"),
      ]
    ),
    .executableTarget(
      name: "clustersim",
      dependencies: [
        "ClusterSim", "ParallelCore", "SimKernel",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "SimKernelTests", dependencies: ["SimKernel"]),
    .testTarget(name: "ParallelCoreTests", dependencies: ["ParallelCore"]),
    .testTarget(
      name: "ClusterSimTests",
      dependencies: [
        "ClusterSim", .product(name: "Yams", package: "Yams"), .product(name: "Plot", package: "Plot"),
      ]),
    .testTarget(name: "EndToEndTests", dependencies: ["clustersim", "ClusterSim"]),
  ]
)

// Package-wide settings for our own targets. Warnings are errors through the safe
// `treatAllWarnings` setting (SE-0480), not `unsafeFlags`, which would stop other packages from
// depending on the ClusterSim library by version.
for target in package.targets where target.type != .system {
  var settings = target.swiftSettings ?? []
  settings.append(.enableUpcomingFeature("ExistentialAny"))
  settings.append(.enableUpcomingFeature("MemberImportVisibility"))
  settings.append(.treatAllWarnings(as: .error))
  target.swiftSettings = settings
}
