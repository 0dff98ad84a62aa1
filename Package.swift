// swift-tools-version:6.0
import PackageDescription

/// One package, five services and an operator CLI. Each service is a library target with its domain
/// logic and handlers plus a thin executable that wires configuration and starts the shared runner.
let services: [(library: String, executable: String, folder: String)] = [
    ("LeadIntake", "lead-intake", "lead-intake"),
    ("Assignment", "assignment", "assignment"),
    ("ContractWorkflow", "contract-workflow", "contract-workflow"),
    ("Notifications", "notifications", "notifications"),
    ("Reporting", "reporting", "reporting"),
]

var targets: [Target] = [
    .systemLibrary(
        name: "CRdKafka",
        path: "Shared/CRdKafka",
        pkgConfig: "rdkafka",
        providers: [.apt(["librdkafka-dev"])]
    ),
    .target(
        name: "Shared",
        dependencies: [
            "CRdKafka",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ],
        path: "Shared/Sources"
    ),
    // The benchmark's and the fault drills' common parts: the lead mix, the roster, the open-loop
    // poster, the topic collectors and the end-state audit.
    .target(
        name: "CRMBench",
        dependencies: ["Shared", .product(name: "PostgresNIO", package: "postgres-nio")],
        path: "Services/crmctl/Sources/CRMBench"
    ),
    .executableTarget(
        name: "crmctl",
        dependencies: [
            "Shared",
            "LeadIntake",
            "CRMBench",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            // bench intake counts the run's submissions in lead_submissions.
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ],
        path: "Services/crmctl/Sources/crmctl"
    ),
    // What the test targets share: the local broker and database, service processes.
    .target(
        name: "CRMTestSupport",
        dependencies: ["Shared", .product(name: "PostgresNIO", package: "postgres-nio")],
        path: "Tests/Support"
    ),
    .testTarget(
        name: "SharedTests",
        dependencies: ["Shared", "CRMTestSupport"],
        path: "Tests/SharedTests"
    ),
]

// `make test-faults` only (CRM_FAULT_TESTS=1): kill -9, Postgres restarts, rebalances, poison.
targets.append(.testTarget(name: "FaultInjectionTests", dependencies: ["CRMBench", "CRMTestSupport", "Shared"], path: "Tests/FaultInjectionTests"))
targets.append(.testTarget(name: "CRMBenchTests", dependencies: ["CRMBench", "Assignment", "Shared", "CRMTestSupport"], path: "Tests/CRMBenchTests"))

/// Unit tests of the services' domain logic (plain Swift, no broker or database).
for library in ["LeadIntake", "Assignment"] {
    targets.append(.testTarget(name: "\(library)Tests", dependencies: [.byName(name: library), "Shared", "CRMTestSupport"], path: "Tests/\(library)Tests"))
}

for service in services {
    targets.append(.target(
        name: service.library,
        dependencies: ["Shared"],
        path: "Services/\(service.folder)/Sources/\(service.library)"
    ))
    targets.append(.executableTarget(
        name: service.executable,
        dependencies: [.byName(name: service.library), "Shared"],
        path: "Services/\(service.folder)/Sources/\(service.executable)"
    ))
}

let package = Package(
    name: "crm",
    platforms: [.macOS(.v14)],
    products: services.map { .executable(name: $0.executable, targets: [$0.executable]) }
        + [.executable(name: "crmctl", targets: ["crmctl"])],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: targets,
    swiftLanguageModes: [.v6]
)
