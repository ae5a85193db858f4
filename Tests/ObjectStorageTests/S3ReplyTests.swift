import Foundation
import Testing
import UploadModel
@testable import ObjectStorage

/// S3's XML answers, including the ones a test server will not produce.
@Suite struct S3ReplyTests {
    @Test func completeAnswering200WithAnErrorBodyIsThatError() {
        let body = Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>656c76696e6727732072657175657374</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>
            """.utf8)
        #expect(throws: UploadError.self) { try S3Reply.completedETag(body) }
        do {
            _ = try S3Reply.completedETag(body)
        } catch {
            #expect(error.code == .storageError)
            #expect(error.message.contains("InternalError"))
            #expect(error.message.contains("internal error"))
        }
    }

    @Test func completeResultGivesTheETag() throws {
        let body = Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>http://b.s3.amazonaws.com/k</Location><Bucket>b</Bucket><Key>k</Key><ETag>"3858f62230ac3c915f300c664312c11f-9"</ETag></CompleteMultipartUploadResult>
            """.utf8)
        #expect(try S3Reply.completedETag(body) == "\"3858f62230ac3c915f300c664312c11f-9\"")
    }

    /// Ceph's radosgw answers a complete it carried out with an empty `<ETag></ETag>` (and some
    /// servers leave the element out): that is no ETag, not a failure; the storage reads it with
    /// HeadObject. A result of another operation is still refused.
    @Test func completeResultWithAnEmptyETagHasNone() throws {
        let radosgw = Data("""
            <?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>http://127.0.0.1:7480/upman/k</Location><Bucket>upman</Bucket><Key>k</Key><ETag></ETag></CompleteMultipartUploadResult>
            """.utf8)
        #expect(try S3Reply.completedETag(radosgw) == nil)
        let blank = Data("<CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><ETag>  </ETag></CompleteMultipartUploadResult>".utf8)
        #expect(try S3Reply.completedETag(blank) == nil)
        let absent = Data("<CompleteMultipartUploadResult><Bucket>b</Bucket><Key>k</Key></CompleteMultipartUploadResult>".utf8)
        #expect(try S3Reply.completedETag(absent) == nil)
        let other = Data("<ListPartsResult><Bucket>b</Bucket><ETag>\"x\"</ETag></ListPartsResult>".utf8)
        #expect(throws: UploadError.self) { try S3Reply.completedETag(other) }
        #expect(throws: UploadError.self) { try S3Reply.completedETag(Data("not xml".utf8)) }
    }

    /// S3's refusals of a completion keep S3's names and are 4xx (the parts can be sent again),
    /// also when they come as a 200 whose body is an `<Error>`.
    @Test func completionRefusalsKeepS3sNames() {
        for (s3, code) in [("InvalidPart", UploadError.Code.invalidPart), ("InvalidPartOrder", .invalidPartOrder),
                           ("EntityTooSmall", .entityTooSmall)] {
            let body = Data("<Error><Code>\(s3)</Code><Message>refused</Message></Error>".utf8)
            let error = S3Reply.error(status: 400, body: body, operation: "CompleteMultipartUpload")
            #expect(error.code == code && (400..<500).contains(error.code.httpStatus), "\(s3)")
            #expect(error.message.contains(s3))
            #expect(throws: UploadError(code, "S3 CompleteMultipartUpload failed with HTTP 200 \(s3): refused")) {
                try S3Reply.completedETag(body)
            }
        }
    }

    @Test func noSuchUploadIsUploadGone() {
        let body = Data("<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message></Error>".utf8)
        let error = S3Reply.error(status: 404, body: body, operation: "ListParts")
        #expect(error.code == .uploadGone)
        #expect(error.message.contains("NoSuchUpload"))
        do {
            _ = try S3Reply.completedETag(body)
            Issue.record("an Error body must throw")
        } catch {
            #expect(error.code == .uploadGone)
        }
    }

    @Test func listPartsPagesFollowTheMarker() throws {
        let body = Data("""
            <ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key><UploadId>u</UploadId>
            <PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>2</NextPartNumberMarker><MaxParts>2</MaxParts><IsTruncated>true</IsTruncated>
            <Part><PartNumber>1</PartNumber><ETag>&quot;aa&quot;</ETag><Size>5242880</Size></Part>
            <Part><PartNumber>2</PartNumber><ETag>"bb"</ETag><Size>10</Size></Part></ListPartsResult>
            """.utf8)
        let page = try S3Reply.partsPage(body)
        #expect(page.parts == [StoredPart(partNumber: 1, etag: "\"aa\"", size: 5_242_880), StoredPart(partNumber: 2, etag: "\"bb\"", size: 10)])
        #expect(page.next == 2)
        let last = try S3Reply.partsPage(Data("<ListPartsResult><IsTruncated>false</IsTruncated><NextPartNumberMarker>2</NextPartNumberMarker></ListPartsResult>".utf8))
        #expect(last.parts.isEmpty && last.next == nil)
    }

    @Test func initiateGivesTheUploadId() throws {
        let body = Data("<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>".utf8)
        #expect(try S3Reply.uploadId(body) == "VXBsb2FkIElE")
        #expect(throws: UploadError.self) { try S3Reply.uploadId(Data("garbage".utf8)) }
    }
}
