// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "upman",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "upman", targets: ["upman"]),
        .library(name: "UploadModel", targets: ["UploadModel"]),
        .library(name: "UploadStore", targets: ["UploadStore"]),
        .library(name: "ObjectStorage", targets: ["ObjectStorage"]),
        .library(name: "UploadServer", targets: ["UploadServer"]),
        .library(name: "UploadClient", targets: ["UploadClient"]),
        .library(name: "Dashboard", targets: ["Dashboard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.4.0", traits: []),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(name: "CChecksum"),
        .target(name: "UploadModel", dependencies: ["CChecksum"]),
        .target(
            name: "UploadStore",
            dependencies: [
                "UploadModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ObjectStorage",
            dependencies: [
                "UploadModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "UploadServer",
            dependencies: [
                "UploadModel",
                "UploadStore",
                "ObjectStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            resources: [
                .embedInCode("openapi.yaml"), .embedInCode("Web/index.html"), .embedInCode("Web/upload-page.js"),
                .embedInCode("Web/upman-client.js"),
            ]
        ),
        .target(
            name: "UploadClient",
            dependencies: [
                "UploadModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
            ]
        ),
        .target(name: "Dashboard", dependencies: ["UploadModel", "UploadStore"]),
        .systemLibrary(name: "CNcursesw"),
        .target(name: "Terminal", dependencies: ["CNcursesw", "Dashboard", "UploadModel"]),
        .executableTarget(
            name: "upman",
            dependencies: [
                "UploadModel",
                "UploadStore",
                "UploadServer",
                "UploadClient",
                "ObjectStorage",
                "Dashboard",
                "Terminal",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(name: "TestSupport", path: "Tests/Support"),
        .testTarget(name: "UploadModelTests", dependencies: ["UploadModel"]),
        .testTarget(
            name: "UploadStoreTests",
            dependencies: ["UploadStore", "UploadModel", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "UploadStore", "UploadModel"]),
        .testTarget(
            name: "ObjectStorageTests",
            dependencies: ["ObjectStorage", "UploadModel", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "UploadClientTests",
            dependencies: ["UploadClient", "UploadServer", "UploadStore", "UploadModel", "TestSupport"]
        ),
        .testTarget(
            name: "UploadServerTests",
            dependencies: [
                "UploadServer", "UploadStore", "UploadModel", "ObjectStorage", "UploadClient", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIKit30", package: "OpenAPIKit"), .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "upmanTests",
            dependencies: [
                "upman", "UploadStore", "UploadModel", "UploadServer", "UploadClient", "ObjectStorage", "Dashboard", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
