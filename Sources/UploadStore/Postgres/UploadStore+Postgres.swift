extension UploadStore {
    /// Opens the PostgreSQL database at `url`, running the migrations it has not had. Several
    /// processes may open the same database at once (see ``PostgresEngine``).
    ///
    /// - Throws: `UploadError` `.storeUnavailable` when the server cannot be reached or refuses.
    public convenience init(postgres url: DatabaseURL, options: StoreOptions = StoreOptions()) throws {
        let engine = try PostgresEngine(url: url, maximumReaders: options.maximumReaders)
        self.init(engine: engine, location: url.redacted)
    }
}
