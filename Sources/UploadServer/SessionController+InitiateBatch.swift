import Foundation
import ObjectStorage
import UploadModel
import UploadStore

extension SessionController {
    /// Storage uploads begun at once while a batch is prepared (the disk store creates a file each).
    static let batchBeginWidth = 8

    /// `initiate` of many files: plans each, prepares storage for each, and records every session
    /// (and the group, when new) in ONE transaction; answers them in the order asked.
    ///
    /// All or nothing: an entry that is wrong is a 4xx naming it (`files[3]: …`) before anything
    /// is recorded, and a failure later aborts the storage uploads already begun. The repeat rule of
    /// the single form holds per entry: a file with a fingerprint whose session is still open in the
    /// group gets that session again (so does a second identical entry of the same batch).
    func initiate(_ request: ControllerRequest.InitiateBatch, _ principal: Principal) async throws -> ControllerResponse.InitiatedBatch {
        let files = request.files
        let limit = ControllerRequest.InitiateBatch.maximumFiles
        guard !files.isEmpty, files.count <= limit else {
            throw UploadError(.invalidArgument, "files must list 1 to \(limit) files; \(files.count) given")
        }
        var plans: [PartPlan] = []
        plans.reserveCapacity(files.count)
        for (index, file) in files.enumerated() {
            do {
                plans.append(try self.plan(
                    fileName: file.fileName, size: file.size, fingerprint: file.fingerprint, sha256: nil, partSize: file.partSize))
            } catch let error as UploadError {
                throw UploadError(error.code, "files[\(index)] (\(file.fileName.debugDescription)): \(error.message)")
            }
        }
        // Which entries get a session that already exists: an open one in the group, or an earlier
        // identical entry of this batch.
        var existing = [UploadSession?](repeating: nil, count: files.count)
        var sameAs: [Int: Int] = [:]
        var first: [String: Int] = [:]
        for (index, file) in files.enumerated() {
            guard let fingerprint = file.fingerprint else { continue }
            let key = "\(file.size)\u{0}\(fingerprint)\u{0}\(file.fileName)"
            if let earlier = first[key] { sameAs[index] = earlier } else { first[key] = index }
        }
        if let groupId = request.groupId {
            let group = try await visibleGroup(groupId, principal)
            try checkLinkGroup(named: group.name, principal)
            guard group.status != .cancelled else { throw UploadError(.conflict, "group \(groupId) is cancelled") }
            let lookups = first.values.sorted()
            if !lookups.isEmpty {
                let found = try await store.reader.openSessions(groupId: groupId, files: lookups.map {
                    (fileName: files[$0].fileName, size: files[$0].size, fingerprint: files[$0].fingerprint ?? "")
                })
                for (index, session) in zip(lookups, found) where session?.userId == principal.userId {
                    existing[index] = session
                }
            }
        }
        if request.groupId == nil { try checkLinkGroup(named: nil, principal) }
        let groupId = request.groupId ?? UploadID.make("grp")
        var fresh: [(index: Int, upload: StorageUpload)] = []
        for (index, file) in files.enumerated() where existing[index] == nil && sameAs[index] == nil {
            let sessionId = UploadID.make("ses")
            let objectKey = ObjectKey.make(userId: principal.userId, groupId: groupId, sessionId: sessionId, fileName: file.fileName)
            fresh.append((index, StorageUpload(sessionId: sessionId, objectKey: objectKey, plan: plans[index])))
        }
        let begun = try await beginAll(fresh.map { $0.upload })
        let now = Timestamp.now()
        let sessions = zip(fresh, begun).map { entry, upload in
            let file = files[entry.index]
            let plan = plans[entry.index]
            return UploadSession(
                id: upload.sessionId, groupId: groupId, userId: principal.userId, fileName: file.fileName,
                contentType: file.contentType, size: file.size, checksum: file.checksum, fingerprint: file.fingerprint,
                objectKey: upload.objectKey, uploadId: upload.uploadId, method: plan.method, partSize: plan.partSize,
                totalParts: plan.totalParts, attempts: 1, createdAt: now)
        }
        let newGroup = request.groupId == nil
        let groupName = files.count == 1 ? files[0].fileName : "\(files.count) files"
        let created: [UploadSession]
        do {
            created = try await store.transaction(actedBy: principal.actor) { tx in
                try chargeLink(sessions.reduce(0) { $0 + $1.size }, principal, in: tx)
                if newGroup {
                    try tx.groups.create(UploadGroup(id: groupId, userId: principal.userId, name: groupName, createdAt: tx.now))
                }
                return try sessions.map { try tx.sessions.create($0) }
            }
        } catch {
            await abortAll(begun)
            throw error
        }
        for _ in created { metrics.sessionInitiated() }
        var made = [UploadSession?](repeating: nil, count: files.count)
        for (entry, session) in zip(fresh, created) { made[entry.index] = session }
        let expiresAt = Date().addingTimeInterval(configuration.urlExpiry)
        var answers: [ControllerResponse.Initiated] = []
        answers.reserveCapacity(files.count)
        for index in files.indices {
            let source = sameAs[index] ?? index
            if let session = existing[source] {
                answers.append(try again(session))
            } else if let session = made[source] {
                answers.append(try initiated(session, expiresAt: expiresAt))
            } else {
                throw UploadError(.internalError, "files[\(index)] has no session")
            }
        }
        return ControllerResponse.InitiatedBatch(sessions: answers)
    }

    /// The answer for a session just made: how to send it, and its signed URL when it is a single PUT.
    private func initiated(_ session: UploadSession, expiresAt: Date) throws -> ControllerResponse.Initiated {
        let plan = Self.plan(of: session)
        var response = ControllerResponse.Initiated(
            session: session, method: plan.method, partSize: plan.partSize, totalParts: plan.totalParts)
        if plan.method == .single, let part = plan.part(1) {
            response.url = try storage.partURL(StorageUpload(session), part: part, expiresAt: expiresAt).absoluteString
            response.expiresAt = Timestamp.truncated(expiresAt)
        }
        return response
    }

    /// Begins every upload in storage, a few at once, and returns them with their storage upload
    /// ids, in order. When one fails, those already begun are aborted and its error is thrown.
    private func beginAll(_ uploads: [StorageUpload]) async throws -> [StorageUpload] {
        let storage = self.storage
        let width = Self.batchBeginWidth
        var begun: [StorageUpload] = []
        begun.reserveCapacity(uploads.count)
        // Rounds of `width` begins at once: simple, and a failure stops the next round. Each child
        // returns its whole upload, not an (index, result) tuple: with such a tuple the index read
        // back out of range in release builds of Swift 6.3 (an Illegal instruction under load),
        // twice, in two forms of this loop; debug builds never showed it.
        var start = 0
        while start < uploads.count {
            let round = Array(uploads[start..<min(start + width, uploads.count)])
            let results = await withTaskGroup(of: Result<StorageUpload, any Error>.self) { group in
                for upload in round {
                    group.addTask {
                        var upload = upload
                        do {
                            upload.uploadId = try await storage.begin(upload)
                            return .success(upload)
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                var results: [Result<StorageUpload, any Error>] = []
                for await result in group { results.append(result) }
                return results
            }
            var failure: (any Error)?
            for result in results {
                switch result {
                case .success(let upload): begun.append(upload)
                case .failure(let error): failure = failure ?? error
                }
            }
            if let failure {
                await abortAll(begun)
                throw failure
            }
            start += width
        }
        // Back in the order given.
        let position = Dictionary(uniqueKeysWithValues: uploads.enumerated().map { ($1.sessionId, $0) })
        return begun.sorted { position[$0.sessionId]! < position[$1.sessionId]! }
    }

    /// Aborts storage uploads of a batch that is not recorded (best effort: the sweeper and the
    /// reconciler clear what is left).
    private func abortAll(_ uploads: [StorageUpload]) async {
        for upload in uploads { try? await storage.abort(upload) }
    }
}
