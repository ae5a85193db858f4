import Foundation
import ObjectStorage
import Testing
import UploadClient
import UploadModel
@testable import UploadServer

/// A CompleteMultipartUpload answered 200 with an empty `<ETag></ETag>` (Ceph's radosgw) completes,
/// with the ETag read by HeadObject. Each peer sits behind ``ETagDroppingProxy``, which empties
/// only that answer's ETag; the peer itself does the upload.
extension S3Suites {
    @Suite struct S3EmptyETagTests {
        let mib = Int(PartPlanner.mebibyte)

        @Test(.timeLimit(.minutes(10)), arguments: await S3PeerKind.available()) func anEmptyCompleteETagIsReadWithHeadObject(_ peer: S3PeerKind) async throws {
            let server = try await peer.start()
            let proxy: ETagDroppingProxy
            do {
                proxy = try await ETagDroppingProxy.start(upstream: server.endpoint)
            } catch {
                await server.stop()
                throw error
            }
            do {
                let bed = try await S3TestBed.start(on: server, through: proxy.endpoint)
                do {
                    try await check(bed, proxy: proxy)
                } catch {
                    await bed.finish()
                    throw error
                }
                await bed.finish()
            } catch {
                await proxy.stop()
                throw error
            }
            await proxy.stop()
        }

        private func check(_ bed: S3TestBed, proxy: ETagDroppingProxy) async throws {
            // The storage layer alone: its complete through the proxy answers the object's real ETag.
            let proxied = S3Storage(configuration: { var c = bed.peer.configuration(); c.endpoint = proxy.endpoint; return c }())
            let bytes = randomBytes(6 * mib, seed: 91)
            var upload = StorageUpload(sessionId: "ses_e", objectKey: "empty-etag/direct.bin",
                                       plan: PartPlan(fileSize: Int64(bytes.count), method: .multipart, partSize: 5 * Int64(mib), totalParts: 2))
            upload.uploadId = try await proxied.begin(upload)
            var parts: [CompletedPart] = []
            for number in 1...2 {
                let part = try #require(upload.plan.part(number))
                let url = try proxied.partURL(upload, part: part, expiresAt: Date().addingTimeInterval(300))
                let slice = bytes.subdata(in: Int(part.offset)..<Int(part.offset + part.size))
                let etag = try await bed.put(url.absoluteString, slice)
                parts.append(CompletedPart(partNumber: number, etag: etag))
            }
            let before = proxy.emptiedETags
            let etag = try await proxied.complete(upload, parts: parts)
            #expect(proxy.emptiedETags == before + 1, "the proxy emptied the ETag of the complete's answer: \(proxy.forwarded.suffix(3))")
            let head = try #require(try await bed.storage.objectInfo(key: upload.objectKey))
            #expect(EntityTag.same(etag, head.etag), "\(etag) vs HeadObject \(head.etag ?? "none")")
            #expect(EntityTag.same(etag, DiskStorage.combinedETag(parts)), "S3's multipart ETag: md5 of the part MD5s, -2")
            #expect(try await bed.object(upload.objectKey) == bytes)

            // The whole path: the uploader's file completes through `complete` with the same quirk.
            let large = randomBytes(11 * mib, seed: 92)
            let uploader = Uploader(client: bed.client, options: UploadOptions(groupName: "radosgw", partSize: 5 * Int64(mib)))
            let outcome = try await uploader.run([try bed.file("large.bin", large)])
            #expect(outcome.succeeded, "\(outcome.files.map { "\($0.name): \($0.state) \($0.reason ?? "")" })")
            #expect(proxy.emptiedETags == before + 2)
            let session = try await bed.session(try #require(outcome.files.first?.sessionId))
            try await bed.waitFor(session.id, .completed)
            let recorded = try await bed.server.store.reader.parts(sessionId: session.id)
            let object = try #require(try await bed.storage.objectInfo(key: session.objectKey))
            #expect(EntityTag.same(object.etag, DiskStorage.combinedETag(recorded.map { CompletedPart(partNumber: $0.partNumber, etag: $0.etag ?? "") })))
            #expect(S3TestBed.sha256(try await bed.object(session.objectKey)) == S3TestBed.sha256(large))
        }
    }
}
