import Foundation
import UploadClient

extension TransferEvent {
    /// The event as one JSON object for `upman put --json`.
    var jsonObject: [String: Any] {
        switch self {
        case .group(let groupId, let name, let resumed):
            return ["event": "group", "groupId": groupId, "name": name, "resumed": resumed]
        case .fileStarted(_, let groupId, let sessionId, let name, let size, let method, let totalParts, let already):
            return ["event": "file", "state": "uploading", "groupId": groupId, "sessionId": sessionId, "fileName": name,
                    "size": size, "method": method.rawValue, "totalParts": totalParts, "partsAlreadyUploaded": already]
        case .partUploaded(_, let groupId, let sessionId, let partNumber, let size, let attempts):
            return ["event": "part", "state": "uploaded", "groupId": groupId, "sessionId": sessionId, "partNumber": partNumber,
                    "size": size, "attempts": attempts]
        case .partRetry(_, let groupId, let sessionId, let partNumber, let attempt, let reason, let delay):
            return ["event": "part", "state": "retrying", "groupId": groupId, "sessionId": sessionId, "partNumber": partNumber,
                    "attempt": attempt, "reason": reason, "delaySeconds": (delay * 1000).rounded() / 1000]
        case .fileState(_, let groupId, let sessionId, let name, let state, let reason):
            var object: [String: Any] = ["event": "file", "state": state.rawValue, "groupId": groupId, "fileName": name]
            if let sessionId { object["sessionId"] = sessionId }
            if let reason { object["reason"] = reason }
            return object
        }
    }

    /// One line of JSON.
    var jsonLine: String { JSONLine.encode(jsonObject) }
}
