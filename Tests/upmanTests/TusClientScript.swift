/// The Python script the tus client tests run: tuspy (`pip install tuspy`, imported as
/// `tusclient`) uploading one file to `upman serve`'s `/files/`, printing one JSON line per
/// event so the test can follow it, stop it at a chosen point, and count what it sent.
enum TusClientScript {
    /// `python3 -u -c TusClientScript.source JSON`, where JSON holds `endpoint`, `token`, `path`,
    /// `chunk` (bytes per PATCH), and optionally `metadata` (a dictionary), `checksum` (send
    /// `Upload-Checksum: sha1 …` with each PATCH), `store` (a file where tuspy keeps upload URLs
    /// by file fingerprint: a second run with the same file and store resumes the upload) and
    /// `pause_at` (once that many body bytes have gone out, the PATCH under way stops sending,
    /// says `stalled`, and waits for a line on standard input before it goes on: the test's
    /// moment to kill the client or the server in the middle of a PATCH, however busy the machine).
    ///
    /// Events: `ready` (the uploader exists: `url` is the stored URL or null, `offset` what the
    /// server's HEAD said), `patched` after each PATCH (`status`, `offset` from its answer, `url`),
    /// `stalled`, `done` or `failed` (`error`, `status`). Every event also carries `sent` (body
    /// bytes handed to the HTTP library so far, the PATCH under way included), `patches`, and
    /// `first_offset` (the Upload-Offset of the run's first PATCH).
    static let source = #"""
        import json, sys
        import requests
        from tusclient import client
        from tusclient.storage import filestorage

        args = json.loads(sys.argv[1])
        counted = {"sent": 0, "patches": 0, "first_offset": None, "url": None}
        pause_at = args.get("pause_at")

        def say(event, **fields):
            fields.update(event=event, sent=counted["sent"], patches=counted["patches"], first_offset=counted["first_offset"])
            print(json.dumps(fields), flush=True)

        class Body:
            """A PATCH body read out by the HTTP library piece by piece; counts every byte it
            gives out and stalls once at `pause_at`. Having a length, it goes with a
            Content-Length, as tuspy's own bytes would."""
            def __init__(self, data):
                self.data, self.position = data, 0
            def __len__(self):
                return len(self.data)
            def read(self, size=-1):
                global pause_at
                if size is None or size < 0:
                    size = len(self.data)
                size = min(size, 65536)
                if pause_at is not None and counted["sent"] + size > pause_at:
                    if counted["sent"] < pause_at:
                        size = pause_at - counted["sent"]
                    else:
                        pause_at = None
                        say("stalled", url=counted["url"])
                        sys.stdin.readline()
                piece = self.data[self.position:self.position + size]
                self.position += len(piece)
                counted["sent"] += len(piece)
                return piece

        real_patch = requests.patch

        def patch(url, data=None, headers=None, **kwargs):
            counted["patches"] += 1
            counted["url"] = url
            if counted["first_offset"] is None:
                counted["first_offset"] = int(headers.get("upload-offset"))
            body = Body(data) if data else data
            response = real_patch(url, data=body, headers=headers, **kwargs)
            say("patched", status=response.status_code, offset=response.headers.get("upload-offset"), url=url)
            return response

        # tuspy's TusRequest calls requests.patch through the module.
        requests.patch = patch

        tus = client.TusClient(args["endpoint"], headers={"Authorization": "Bearer " + args["token"]})
        options = dict(chunk_size=args["chunk"], metadata=args.get("metadata") or {}, upload_checksum=bool(args.get("checksum")))
        if args.get("store"):
            options.update(store_url=True, url_storage=filestorage.FileStorage(args["store"]))
        uploader = None
        try:
            uploader = tus.uploader(args["path"], **options)
            say("ready", url=uploader.url, offset=uploader.offset)
            uploader.upload()
            say("done", url=uploader.url, offset=uploader.offset)
        except Exception as error:
            say("failed", error=repr(error), status=getattr(error, "status_code", None),
                url=getattr(uploader, "url", None), offset=getattr(uploader, "offset", None))
            sys.exit(3)
        """#
}
