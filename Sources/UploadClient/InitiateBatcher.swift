import UploadModel

/// Initiates the small files of one upload run in batches (one `initiate` call for up to 1,000
/// files) ahead of their turn, so that a small file costs its PUT and little else.
///
/// Files are asked for in about the order they start. The first ask of a file not yet sent sends
/// the next batch from there; ``prefetch()`` sends the next one early once fewer than half of the
/// last batch's answers are left ahead, so the window of files in flight never waits for a batch.
/// A batch holds at most ``ControllerRequest/InitiateBatch/maximumFiles`` files and about
/// ``byteBudget`` bytes, so no session waits long for its bytes after it was made.
///
/// A batch the server refuses with 400 or 422 falls back to one `initiate` per file (``initiated(_:)``
/// answers nil): an entry it names (`files[3]: …`) then fails alone. A refusal that names no entry
/// is an older server without the batch form: batching stops for the rest of the run. Any other
/// failure is every file's of that batch.
actor InitiateBatcher {
    /// Bytes of files per batch, about (a batch holds at least one file).
    static let byteBudget: Int64 = 256 << 20

    /// What became of one file's entry.
    private enum Answer: Sendable {
        case ready(ControllerResponse.Initiated)
        case failed(any Error)
        case alone
    }

    private let client: ControllerClient
    private let groupId: String
    private let indices: [Int]
    private let files: [ControllerRequest.InitiateFile]
    private let position: [Int: Int]
    private let limit: Int
    /// Entries before it are sent or being sent.
    private var cursor = 0
    /// Entries asked for.
    private var asked = 0
    private var lastBatch = 0
    private var prefetching = false
    private var enabled = true
    private var answers: [Int: Answer] = [:]
    private var waiters: [Int: CheckedContinuation<Answer, Never>] = [:]

    /// A batcher for `files` (the index of each file in the run, and its entry) into `groupId`.
    init(client: ControllerClient, groupId: String, files: [(index: Int, file: ControllerRequest.InitiateFile)],
         limit: Int = ControllerRequest.InitiateBatch.maximumFiles) {
        self.client = client
        self.groupId = groupId
        self.indices = files.map { $0.index }
        self.files = files.map { $0.file }
        self.limit = max(1, min(limit, ControllerRequest.InitiateBatch.maximumFiles))
        var position: [Int: Int] = [:]
        for (offset, index) in indices.enumerated() { position[index] = offset }
        self.position = position
    }

    /// The session made for file `index` by a batch, nil when the file is not batched (or its batch
    /// fell back): then the caller initiates it alone. Throws the batch's failure.
    func initiated(_ index: Int) async throws -> ControllerResponse.Initiated? {
        guard let offset = position[index] else { return nil }
        asked += 1
        let answer: Answer
        if let known = answers.removeValue(forKey: index) {
            answer = known
        } else if offset < cursor {
            answer = await withCheckedContinuation { waiters[index] = $0 }
        } else if !enabled {
            return nil
        } else {
            await send(from: offset)
            answer = answers.removeValue(forKey: index) ?? .alone
        }
        switch answer {
        case .ready(let initiated): return initiated
        case .failed(let error): throw error
        case .alone: return nil
        }
    }

    /// Sends the next batch when fewer than half of the last batch's answers are left ahead of the
    /// files asked for (one prefetch at a time).
    func prefetch() async {
        guard enabled, !prefetching, cursor < files.count, cursor - asked < max(1, lastBatch / 2) else { return }
        prefetching = true
        await send(from: cursor)
        prefetching = false
    }

    /// Sends one batch starting at entry `start` (entries skipped before it fall back to single
    /// initiates), and hands out its answers.
    private func send(from start: Int) async {
        for skipped in cursor..<max(cursor, start) { deliver(skipped, .alone) }
        var end = start
        var bytes: Int64 = 0
        while end < files.count, end - start < limit, end == start || bytes + files[end].size <= Self.byteBudget {
            bytes += files[end].size
            end += 1
        }
        cursor = max(cursor, end)
        lastBatch = end - start
        let batch = ControllerRequest.InitiateBatch(groupId: groupId, files: Array(files[start..<end]))
        do {
            let sessions = try await client.initiate(batch)
            for (offset, session) in zip(start..<end, sessions) { deliver(offset, .ready(session)) }
        } catch let error as ClientError where error.status == 400 || error.status == 422 {
            if !error.description.contains("files[") { enabled = false }
            for offset in start..<end { deliver(offset, .alone) }
        } catch {
            for offset in start..<end { deliver(offset, .failed(error)) }
        }
    }

    private func deliver(_ offset: Int, _ answer: Answer) {
        let index = indices[offset]
        if let waiter = waiters.removeValue(forKey: index) {
            waiter.resume(returning: answer)
        } else {
            answers[index] = answer
        }
    }
}
