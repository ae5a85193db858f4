import Foundation
import Testing
import UploadModel

/// The `checksum` of a `partsUploaded` entry has S3's `x-amz-checksum-crc32c` shape: base64 of a
/// CRC32C's 4 bytes; anything else fails decoding at that field.
@Suite struct ReportedPartTests {
    @Test func aCRC32CIsBase64OfFourBytes() {
        // CRC32C of "123456789" is 0xE3069283 (RFC 3720 B.4's check value), base64 "4waSgw==".
        #expect(ControllerRequest.ReportedPart.isCRC32C("4waSgw=="))
        #expect(ControllerRequest.ReportedPart.isCRC32C("yZRlqg=="))
        for bad in ["", "4waSgw", "4waSgw=", "4waSgw===", "AAAAAAAA", "AAAAAAA=", "!!!!!!==", "4waS gw=", "4waSgw==\n"] {
            #expect(!ControllerRequest.ReportedPart.isCRC32C(bad), "\(bad.debugDescription)")
        }
    }

    @Test func decodingRefusesAnotherShape() throws {
        let good = Data(#"{"partNumber":1,"etag":"\"x\"","size":5,"checksum":"4waSgw=="}"#.utf8)
        #expect(try JSONDecoder().decode(ControllerRequest.ReportedPart.self, from: good).checksum == "4waSgw==")
        let none = Data(#"{"partNumber":1,"etag":"x","size":5}"#.utf8)
        #expect(try JSONDecoder().decode(ControllerRequest.ReportedPart.self, from: none).checksum == nil)
        let hex = Data(#"{"partNumber":1,"etag":"x","size":5,"checksum":"e3069283"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ControllerRequest.ReportedPart.self, from: hex) }
        let encoded = try JSONEncoder().encode(ControllerRequest.ReportedPart(partNumber: 2, etag: "y", size: 1, checksum: "4waSgw=="))
        #expect(try JSONDecoder().decode(ControllerRequest.ReportedPart.self, from: encoded).partNumber == 2)
    }
}
