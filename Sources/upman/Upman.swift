import ArgumentParser

/// The `upman` command: resumable, chunked uploads with a live terminal dashboard.
@main
struct Upman: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upman",
        abstract: "Resumable, chunked file uploads with a live terminal dashboard.",
        version: UpmanVersion.current,
        subcommands: [ServeCommand.self, PutCommand.self, TopCommand.self, TokenCommand.self, FixturesCommand.self, CheckCommand.self, MigrateDBCommand.self, DemoCommand.self]
    )
}
