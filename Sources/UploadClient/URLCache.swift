import Foundation
import UploadModel

/// Signed part URLs of one session, fetched in batches and refreshed before they expire.
actor URLCache {
    private let client: ControllerClient
    private let sessionId: String
    private let totalParts: Int
    private var urls: [Int: ControllerResponse.SignedPart]

    init(client: ControllerClient, sessionId: String, totalParts: Int, seed: [Int: ControllerResponse.SignedPart]) {
        self.client = client
        self.sessionId = sessionId
        self.totalParts = totalParts
        self.urls = seed
    }

    /// A URL for part `number` valid for at least another minute.
    func url(for number: Int) async throws -> String {
        if let cached = urls[number], cached.expiresAt.timeIntervalSinceNow > 60 { return cached.url }
        let batch = Array(number...min(totalParts, number + 99)).filter { urls[$0].map { $0.expiresAt.timeIntervalSinceNow <= 60 } ?? true }
        for signed in try await client.signParts(sessionId: sessionId, partNumbers: batch) {
            urls[signed.partNumber] = signed
        }
        guard let fresh = urls[number] else { throw ClientError.protocolError("the server signed no URL for part \(number)") }
        return fresh.url
    }

    /// Forgets part `number`'s URL (storage refused it).
    func invalidate(_ number: Int) {
        urls[number] = nil
    }
}
