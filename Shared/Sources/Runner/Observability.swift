import Logging
import Metrics
import Prometheus
import Synchronization

/// Process-wide logging and metrics set-up. Both systems may be bootstrapped once per process,
/// so this happens once, whatever calls it first.
public enum Observability {
    private static let registryStorage = Mutex<PrometheusCollectorRegistry?>(nil)

    /// The registry `/metrics` renders.
    public static var registry: PrometheusCollectorRegistry {
        registryStorage.withLock { stored in
            if let stored { return stored }
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            stored = registry
            return registry
        }
    }

    private static let loggingBootstrapped = Mutex(false)

    /// Structured lines on stdout: `timestamp level label: key=value ... message`.
    public static func bootstrapLogging(level: Logger.Level) {
        loggingBootstrapped.withLock { done in
            guard !done else { return }
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                return handler
            }
            done = true
        }
    }
}
