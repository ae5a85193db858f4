import Foundation
import UploadModel

/// Reports one session's finished parts to the controller in batches (`partsUploaded`), for
/// storage whose part PUT does not record the part itself (S3).
///
/// One report is in flight at a time. Parts that finish while it is in flight wait together and go
/// in the next one, so a file of N parts costs far fewer than N controller calls when parts finish
/// close together, and a lone part is reported at once. Every caller of ``report(_:)`` returns only
/// once a report holding its part was answered: with nothing when the server recorded it, or with
/// that report's error (the server records all of a report or none of it). The caller whose part
/// found no report in flight sends the reports; when its own is answered, the first waiting caller
/// takes over, so no caller waits on other callers' parts after its own is answered.
actor PartReporter {
    private let client: ControllerClient
    private let sessionId: String
    private var inFlight = false
    private var waiting: [(part: ControllerRequest.ReportedPart, turn: CheckedContinuation<Turn, Never>?)] = []

    /// What a waiting caller is told: its part was reported (with the report's outcome), or it is
    /// its turn to send the waiting parts.
    private enum Turn {
        case answered(Result<Void, any Error>)
        case send
    }

    init(client: ControllerClient, sessionId: String) {
        self.client = client
        self.sessionId = sessionId
    }

    /// Reports `part`, alone or with the parts that finished meanwhile, and returns once the
    /// server recorded it. Throws the controller's error for the report that carried it.
    func report(_ part: ControllerRequest.ReportedPart) async throws {
        if inFlight {
            switch await withCheckedContinuation({ waiting.append((part, $0)) }) {
            case .answered(let result):
                return try result.get()
            case .send:
                break
            }
        } else {
            inFlight = true
            waiting.append((part, nil))
        }
        try await sendWaiting()
    }

    /// Sends every waiting part in one report, answers their callers, and hands the next report to
    /// the first caller that arrived meanwhile (or ends the in-flight state).
    private func sendWaiting() async throws {
        let batch = waiting
        waiting = []
        // A part listed twice (sent again before its first report went) is reported once, as last sent.
        let parts = Dictionary(batch.map { ($0.part.partNumber, $0.part) }, uniquingKeysWith: { $1 }).values
            .sorted { $0.partNumber < $1.partNumber }
        let result: Result<Void, any Error>
        do {
            _ = try await client.partsUploaded(sessionId: sessionId, parts: parts)
            result = .success(())
        } catch {
            result = .failure(error)
        }
        for entry in batch {
            entry.turn?.resume(returning: .answered(result))
        }
        if waiting.isEmpty {
            inFlight = false
        } else {
            let next = waiting.removeFirst()
            waiting.insert((next.part, nil), at: 0)
            next.turn?.resume(returning: .send)
        }
        try result.get()
    }
}
