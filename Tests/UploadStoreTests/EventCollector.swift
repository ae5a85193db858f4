import Foundation
import UploadModel

/// Collects what commit observers report, safely across threads.
final class EventCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [[UploadEvent]] = []

    func add(_ events: [UploadEvent]) { lock.withLock { collected.append(events) } }
    var batches: Int { lock.withLock { collected.count } }
    var events: [UploadEvent] { lock.withLock { collected.flatMap { $0 } } }
}
