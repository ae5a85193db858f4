import NIOFileSystem
import Testing
@testable import upman

/// Every entry of a directory is either taken or left out with a reason, whatever it is.
@Suite struct FileCollectorTests {
    func status(_ kind: PathStatus.Kind, readable: Bool = true, inode: UInt64 = 7) -> PathStatus {
        PathStatus(kind: kind, size: 3, modifiedMillis: 1, identity: .init(device: 1, inode: inode), readable: readable && kind == .regular)
    }

    func entry(_ status: Result<PathStatus, Errno>, target: Result<PathStatus, Errno>? = nil) -> DirectoryListing.Entry {
        DirectoryListing.Entry(name: Array("x".utf8), status: status, target: target)
    }

    @Test func everyEntryIsTakenOrSkippedWithAReason() {
        let none: Set<PathStatus.Identity> = []
        func decide(_ entry: DirectoryListing.Entry, follow: Bool = false, ancestors: Set<PathStatus.Identity> = none) -> FileCollector.Decision {
            FileCollector.decide(entry, followSymlinks: follow, ancestors: ancestors)
        }
        let file = status(.regular)
        #expect(decide(entry(.success(file))) == .file(file))
        #expect(decide(entry(.success(status(.regular, readable: false)))) == .skip("permission denied"))
        #expect(decide(entry(.success(status(.directory, inode: 9)))) == .directory(.init(device: 1, inode: 9)))
        #expect(decide(entry(.success(status(.fifo)))) == .skip("a FIFO, not a regular file"))
        #expect(decide(entry(.success(status(.socket)))) == .skip("a socket, not a regular file"))
        #expect(decide(entry(.success(status(.characterDevice)))) == .skip("a character device, not a regular file"))
        #expect(decide(entry(.success(status(.blockDevice)))) == .skip("a block device, not a regular file"))
        #expect(decide(entry(.failure(.noSuchFileOrDirectory))) == .skip("it vanished while the directory was read"))
        #expect(decide(entry(.failure(.permissionDenied))) == .skip("cannot look at it (permission denied)"))

        let link = entry(.success(status(.symlink)), target: .success(file))
        #expect(decide(link) == .skip("symbolic link, not followed (--follow-symlinks uploads what it points to)"))
        #expect(decide(link, follow: true) == .file(file))
        #expect(decide(entry(.success(status(.symlink)), target: .failure(.noSuchFileOrDirectory)), follow: true)
                == .skip("symbolic link to nothing (its target does not exist)"))
        let up = entry(.success(status(.symlink)), target: .success(status(.directory, inode: 3)))
        #expect(decide(up, follow: true) == .directory(.init(device: 1, inode: 3)))
        #expect(decide(up, follow: true, ancestors: [.init(device: 1, inode: 3)])
                == .skip("symbolic link back into a directory above it (a loop), not followed"))
    }

    @Test func aPathGivesItsLastComponent() {
        #expect(FileCollector.lastComponent(Array("/tmp/d/".utf8)) == Array("d".utf8))
        #expect(FileCollector.lastComponent(Array("caf".utf8) + [0xE9]) == Array("caf".utf8) + [0xE9])
        #expect(FileCollector.lastComponent(Array("/".utf8)) == nil)
    }
}
