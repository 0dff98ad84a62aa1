import Foundation
import Synchronization

/// A dedicated thread that drains a librdkafka event queue until stopped. librdkafka's own threads
/// never call into Swift: everything arrives as events that this loop picks up.
final class PollLoop: Sendable {
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    init(name: String, body: @escaping @Sendable (_ timeoutMilliseconds: Int32) -> Void) {
        // The thread holds the loop until it stops; the loop never holds the thread.
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) {
                body(100)
            }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Stops the loop and waits (off the cooperative pool) until its last poll returned.
    func stop() async {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        await BlockingCall.run { [finished] in finished.wait() }
    }
}
