// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "upman",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "upman", targets: ["upman"]),
        .library(name: "UploadModel", targets: ["UploadModel"]),
        .library(name: "UploadStore", targets: ["UploadStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "UploadModel"),
        .target(
            name: "UploadStore",
            dependencies: [
                "UploadModel",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .executableTarget(
            name: "upman",
            dependencies: [
                "UploadModel",
                "UploadStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "UploadModelTests", dependencies: ["UploadModel"]),
        .testTarget(name: "UploadStoreTests", dependencies: ["UploadStore", "UploadModel"]),
        .testTarget(
            name: "upmanTests",
            dependencies: ["upman", "UploadStore", "UploadModel", .product(name: "GRDB", package: "GRDB.swift")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
