import Foundation
import UploadClient

extension ServerWait.Change {
    /// The change as one JSON object for `upman put --json`: `{"event":"server","state":…}`.
    var jsonObject: [String: Any] {
        func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
        switch self {
        case .waiting(let outage, let nextIn):
            return ["event": "server", "state": "waiting", "attempt": outage.attempt, "delaySeconds": rounded(nextIn),
                    "reason": outage.reason]
        case .reachable(let away):
            return ["event": "server", "state": "reachable", "awaySeconds": rounded(away)]
        case .gaveUp(let outage, let away):
            return ["event": "server", "state": "gaveUp", "attempt": outage.attempt, "awaySeconds": rounded(away),
                    "reason": outage.reason]
        }
    }
}
