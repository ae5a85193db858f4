import UploadModel

/// `content-type`: the object's real media type, sniffed from its first 512 bytes.
struct ContentTypeJob: JobKind {
    let name = "content-type"
    let summary = "Sniffs the media type from the object's first 512 bytes (magic numbers), whatever the client declared."
    let records = "a media type, e.g. `image/png`"

    func run(_ context: JobContext) async throws -> JobOutcome {
        var head: [UInt8] = []
        try await context.storage.read(key: context.session.objectKey) { chunk in
            head += chunk.prefix(512 - head.count)
            return head.count < 512
        }
        return .succeeded(output: ContentSniffer.mediaType(of: head))
    }
}
