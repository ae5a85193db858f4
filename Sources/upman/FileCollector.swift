#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOFileSystem
import NIOPosix
import UploadClient
import UploadModel

/// Turns the paths given to `upman put` into files to upload: a directory contributes every
/// regular file below it (named by its path from the directory's parent), a file its own name.
///
/// Names are bytes (readdir through NIOFileSystem, `FilePath` throughout), never decoded on the
/// way, so a name that is not UTF-8 is uploaded too, under a lossless name (see `UploadName`).
/// Inside a directory nothing is dropped silently: what cannot be uploaded — a symbolic link
/// (unless `followSymlinks`), a FIFO, socket or device, an unreadable file or directory, an entry
/// that vanished, a directory loop — becomes a `SkippedEntry`. A path given on the command line
/// that is missing, unreadable or not a file or directory is an error (a `CLIError`). Nothing is
/// opened but directories, one at a time, while they are listed.
struct FileCollector: Sendable {
    /// Whether symbolic links inside directories are followed (their files uploaded, their
    /// directories walked) instead of skipped. Paths given on the command line are always followed.
    var followSymlinks = false

    private let fileSystem = FileSystem.shared

    /// The files under `paths`, and what was skipped.
    func collect(_ paths: [FilePath]) async throws -> FileCollection {
        var walk = Walk()
        for path in paths {
            let shown = TerminalText.escaped(UploadName.display(path.bytes))
            let info: FileInfo?
            do {
                info = try await fileSystem.info(forFileAt: path, infoAboutSymbolicLink: false)
            } catch let error as FileSystemError {
                throw CLIError("\(shown): \(error.reason)")
            }
            guard let info else { throw CLIError("\(shown): no such file or directory") }
            let name = try await baseName(path)
            switch info.type {
            case .directory:
                try await walkDirectory(path, name: name, identity: Identity(info), into: &walk, topLevel: true)
            case .regular:
                guard await readable(path) else { throw CLIError("\(shown): permission denied") }
                walk.add(path, name: name, info: info)
            default:
                throw CLIError("\(shown): not a regular file or directory (\(Self.describe(info.type)))")
            }
        }
        if let name = walk.duplicate {
            throw CLIError(TerminalText.escaped("two files would be uploaded as \(UploadName.display(name)); upload them in separate groups"))
        }
        return FileCollection(files: walk.files(), skipped: walk.skipped)
    }

    /// The files and skips found so far.
    private struct Walk {
        var found: [(name: [UInt8], file: LocalFile)] = []
        var names: Set<[UInt8]> = []
        var duplicate: [UInt8]?
        var skipped: [SkippedEntry] = []

        mutating func add(_ path: FilePath, name: [UInt8], info: FileInfo) {
            if !names.insert(name).inserted, duplicate == nil { duplicate = name }
            let file = LocalFile(location: path, uploadName: UploadName.encoded(name), displayName: UploadName.display(name), info: info)
            found.append((name, file))
        }

        mutating func skip(_ path: FilePath, _ reason: String) {
            skipped.append(SkippedEntry(location: path, reason: reason))
        }

        func files() -> [LocalFile] {
            found.sorted { $0.name.lexicographicallyPrecedes($1.name) }.map(\.file)
        }
    }

    /// A directory's device and inode, to notice a followed link leading back up.
    private struct Identity: Hashable {
        let device: UInt64
        let inode: UInt64

        init?(_ info: FileInfo) {
            guard let stat = info.platformSpecificStatus else { return nil }
            device = UInt64(stat.st_dev)
            inode = UInt64(stat.st_ino)
        }
    }

    /// Lists `directory` (closing it before going deeper), then takes each entry in byte order.
    private func walkDirectory(_ directory: FilePath, name: [UInt8], identity: Identity?, into walk: inout Walk,
                               topLevel: Bool = false, ancestors: Set<Identity> = []) async throws {
        var entries: [DirectoryEntry] = []
        do {
            try await fileSystem.withDirectoryHandle(atPath: directory) { handle in
                for try await batch in handle.listContents().batched() { entries += batch }
            }
        } catch let error as FileSystemError {
            let reason = "cannot read the directory (\(error.reason))"
            if topLevel { throw CLIError(TerminalText.escaped("\(UploadName.display(directory.bytes)): \(reason)")) }
            walk.skip(directory, reason)
            return
        }
        var ancestors = ancestors
        if let identity { ancestors.insert(identity) }
        let sorted = entries.map { ($0, $0.name.bytes) }.sorted { $0.1.lexicographicallyPrecedes($1.1) }
        for (entry, entryName) in sorted {
            try Task.checkCancellation()
            try await take(entry.path, name: name + [UInt8(ascii: "/")] + entryName, into: &walk, ancestors: ancestors)
        }
    }

    /// Takes one directory entry: a file, a directory to walk, or a skip with its reason.
    private func take(_ path: FilePath, name: [UInt8], into walk: inout Walk, ancestors: Set<Identity>) async throws {
        let info: FileInfo?
        do {
            info = try await fileSystem.info(forFileAt: path, infoAboutSymbolicLink: true)
        } catch let error as FileSystemError {
            walk.skip(path, "cannot look at it (\(error.reason))")
            return
        }
        guard var info else {
            walk.skip(path, "it vanished while the directory was read")
            return
        }
        if info.type == .symlink {
            guard followSymlinks else {
                walk.skip(path, "symbolic link, not followed (--follow-symlinks uploads what it points to)")
                return
            }
            guard let target = try? await fileSystem.info(forFileAt: path, infoAboutSymbolicLink: false) else {
                walk.skip(path, "symbolic link to nothing (its target does not exist)")
                return
            }
            info = target
        }
        switch info.type {
        case .regular:
            guard await readable(path) else {
                walk.skip(path, "permission denied")
                return
            }
            walk.add(path, name: name, info: info)
        case .directory:
            let identity = Identity(info)
            if let identity, ancestors.contains(identity) {
                walk.skip(path, "symbolic link back into a directory above it (a loop), not followed")
                return
            }
            try await walkDirectory(path, name: name, identity: identity, into: &walk, ancestors: ancestors)
        default:
            walk.skip(path, "\(Self.describe(info.type)), not a regular file")
        }
    }

    /// Whether this process may read `path` (checked off the cooperative pool; nothing stays open).
    private func readable(_ path: FilePath) async -> Bool {
        let bytes = path.bytes.map { CChar(bitPattern: $0) } + [0]
        let result = try? await NIOThreadPool.singleton.runIfActive {
            faccessat(AT_FDCWD, bytes, R_OK, AT_EACCESS) == 0
        }
        return result ?? false
    }

    /// The name a path given on the command line contributes: its last component, the real one
    /// for `.`, `..` and `/`-ended paths.
    private func baseName(_ path: FilePath) async throws -> [UInt8] {
        let normal = path.lexicallyNormalized()
        if let last = normal.lastComponent, last.kind == .regular { return last.bytes }
        let bytes = path.bytes.map { CChar(bitPattern: $0) } + [0]
        let real = try? await NIOThreadPool.singleton.runIfActive { () -> [UInt8]? in
            guard let resolved = realpath(bytes, nil) else { return nil }
            defer { free(resolved) }
            return FilePath(platformString: resolved).bytes
        }
        guard let real = real ?? nil, let last = FilePath(bytes: real).lastComponent else {
            throw CLIError(TerminalText.escaped("\(UploadName.display(path.bytes)): cannot tell its name"))
        }
        return last.bytes
    }

    /// "a FIFO", "a socket", … for a reason text.
    static func describe(_ type: FileType) -> String {
        switch type {
        case .fifo: return "a FIFO"
        case .socket: return "a socket"
        case .block: return "a block device"
        case .character: return "a character device"
        case .symlink: return "a symbolic link"
        case .directory: return "a directory"
        case .regular: return "a regular file"
        default: return "an entry of unknown type"
        }
    }
}
