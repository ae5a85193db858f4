import Foundation
import Testing
@testable import UploadClient

/// Error bodies as the uploader meets them: upman's JSON envelope, S3's XML from a presigned URL.
@Suite struct ControllerClientErrorTests {
    @Test func s3XMLErrorsKeepTheirCode() {
        let body = Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message><UploadId>abc</UploadId></Error>
            """.utf8)
        let error = ControllerClient.error(status: 404, body: body)
        #expect(error.code == "NoSuchUpload")
        #expect(error.status == 404)
        #expect(error.description.contains("The specified upload does not exist."))
    }

    @Test func envelopesAndOtherBodies() {
        let envelope = ControllerClient.error(status: 409, body: Data(#"{"error":{"code":"conflict","message":"no"}}"#.utf8))
        #expect(envelope.code == "conflict")
        #expect(ControllerClient.error(status: 502, body: Data("<html>bad gateway</html>".utf8)).code == "http502")
    }
}
