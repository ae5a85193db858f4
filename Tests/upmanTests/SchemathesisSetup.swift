/// The files a schemathesis run against `upman serve` needs: its configuration and its hooks.
enum SchemathesisSetup {
    /// `schemathesis.toml`: every check on, with the few settings the API's nature asks for.
    static let configuration = """
        # Every check schemathesis has runs; only what a schema cannot say is relaxed, per operation.
        [checks]
        enabled = true
        # 413 is a rejection too: the spec answers a size over its maximum with fileTooLarge.
        negative_data_rejection.expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]

        [[operations]]
        include-path = "/api/v1/controller"
        # 422 is the controller's answer to well-formed values its state or plan refuses (a part number
        # outside the session's plan, a part size that differs from the plan, a name with NUL), which
        # no schema can say. A schema-valid body must never get 400: that would be the spec's fault.
        checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

        [[operations]]
        include-path = "/api/v1/events"
        # The event stream never ends: judge the first 3 events, or what came before 1 s of silence
        # (the server on 127.0.0.1 sends its opening lines and any replay at once; 0.25 s was not
        # enough for its first bytes on a loaded two-core machine).
        max-stream-events = 3
        request-timeout = 1.0

        [[operations]]
        include-path = "/api/v1/snapshot"
        # Which ids a view needs and which sorts and statuses fit it depend on the view: a well-formed
        # query that does not fit its view is 422, and an id nobody has (or another user's) is 404.
        checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "422"]

        [[operations]]
        include-path = "/storage/{sessionId}/{partNumber}"
        # A part's body must be exactly the signed part's planned size and match the checksums sent
        # with it. No schema can say that, so a schema-valid body may be refused with 400 (it ended
        # early), 413 (it ran over) or 422 (checksum mismatch), as the spec's descriptions say.
        checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "413", "422"]

        [[operations]]
        include-path-regex = "^/files/"
        # tus: a request without Tus-Resumable 1.0.0 is refused with 412 (tus 1.0.0 says so for a
        # version the server does not speak; tusd does the same for none). What a schema cannot say of
        # a valid request: its Upload-Offset must be the upload's (409), its bytes must fit the length
        # (413) and match Upload-Checksum (460), the upload must still take bytes (410), and one
        # request writes an upload at a time (423).
        checks.missing_required_header.expected-statuses = ["400", "401", "412"]
        # Its parameters are all headers, and schemathesis counts an unknown header as a schema
        # violation the server must refuse; HTTP says to ignore unknown fields (RFC 9110 §5.1), so
        # that check is off here (a malformed value of a known field is still refused: the protocol
        # tables of TusProtocolTests check each), and every other check, 5xx included, still runs.
        checks.negative_data_rejection.enabled = false
        checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "410", "413", "415", "423", "460"]
        """

    /// The hooks module (`SCHEMATHESIS_HOOKS=upman_fuzz_hooks`).
    static let hooks = #"""
        """Schemathesis hooks for fuzzing upman: ids and signed part URLs the server answered with are fed
        back into later requests, so actions reach real groups, sessions, jobs and parts, not only 404s."""
        import atexit
        import json
        import os
        import random
        import threading
        from urllib.parse import parse_qs, urlsplit

        import schemathesis

        # A tus PATCH body is raw bytes, as application/octet-stream's are.
        schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")

        POOL_FILE = os.environ.get("UPMAN_FUZZ_POOL")
        PREFIXES = {"grp_": "groupId", "ses_": "sessionId", "job_": "jobId"}
        LIMIT = 300
        rng = random.Random(int(os.environ.get("UPMAN_FUZZ_SEED", "0")))
        lock = threading.Lock()
        pool = {"groupId": [], "sessionId": [], "jobId": [], "part": [], "upload": []}
        if POOL_FILE and os.path.exists(POOL_FILE):
            with open(POOL_FILE) as file:
                pool.update(json.load(file))


        def remember(kind, value):
            if value and value not in pool[kind]:
                pool[kind].append(value)
                if len(pool[kind]) > LIMIT:
                    pool[kind].pop(0)


        def collect(value, size=None):
            """Remembers every id and signed part URL (with its planned size) found in an answer."""
            if isinstance(value, list):
                for item in value:
                    collect(item)
            elif isinstance(value, dict):
                for key, item in value.items():
                    if isinstance(item, str):
                        for prefix, kind in PREFIXES.items():
                            if item.startswith(prefix) and key in ("id", kind):
                                remember(kind, item)
                    else:
                        collect(item)
                url = value.get("url")
                if isinstance(url, str) and "/storage/" in url:
                    planned = value.get("size", (value.get("session") or {}).get("size"))
                    if isinstance(planned, int):
                        remember("part", [url, planned])


        STATS_FILE = os.environ.get("UPMAN_FUZZ_STATS")
        stats = {}


        @schemathesis.hook
        def after_call(context, case, response):
            action = case.body.get("action") if isinstance(case.body, dict) else None
            if action is not None and (not isinstance(action, str) or (action not in TARGETS and action != "createGroup")):
                action = "(unknown action)"
            label = f"{case.operation.method.upper()} {case.operation.path}" + (f" {action}" if isinstance(action, str) else "")
            with lock:
                counts = stats.setdefault(label, {})
                counts[str(response.status_code)] = counts.get(str(response.status_code), 0) + 1
            location = response.headers.get("Location", "")
            if "/files/ses_" in location:
                with lock:
                    remember("upload", location.rsplit("/", 1)[-1])
            if response.status_code != 200 or not response.content.startswith(b"{"):
                return
            try:
                body = json.loads(response.content)
            except ValueError:
                return
            with lock:
                collect(body)


        def valid_int(value, low, high):
            return type(value) is int and low <= value <= high


        @schemathesis.hook
        def map_case(context, case):
            """Swaps generated ids (strings only, so the case keeps its shape) for known ones most of the time."""
            with lock:
                path = case.operation.path
                if path == "/api/v1/controller" and isinstance(case.body, dict):
                    body = case.body
                    for kind in ("groupId", "sessionId", "jobId"):
                        if isinstance(body.get(kind), str) and pool[kind] and rng.random() < 0.8:
                            body[kind] = rng.choice(pool[kind])
                    # Small files and low part numbers reach the upload paths: single PUTs, parts, complete.
                    # Only values the schema accepts are changed, and only into values it accepts, so a
                    # case meant to be invalid stays invalid.
                    if body.get("action") == "initiate" and valid_int(body.get("size"), 0, 5 << 40) and rng.random() < 0.6:
                        body["size"] = body["size"] % (12 << 20)
                    if isinstance(body.get("partNumbers"), list) and rng.random() < 0.6:
                        body["partNumbers"] = [n % 3 + 1 if valid_int(n, 1, 10000) else n for n in body["partNumbers"]]
                    if valid_int(body.get("partNumber"), 1, 10000) and rng.random() < 0.6:
                        body["partNumber"] = body["partNumber"] % 3 + 1
                elif path == "/files/{uploadId}" and pool["upload"] and isinstance(case.path_parameters.get("uploadId"), str) \
                        and rng.random() < 0.8:
                    # tus uploads the server created (their Location), so HEAD, PATCH and DELETE reach them.
                    case.path_parameters["uploadId"] = rng.choice(pool["upload"])
                    headers = case.headers if isinstance(case.headers, dict) else {}
                    if valid_int(headers.get("Upload-Offset"), 0, 1 << 62) and rng.random() < 0.5:
                        headers["Upload-Offset"] = 0
                elif path.startswith("/storage/") and pool["part"] and rng.random() < 0.7:
                    url, size = rng.choice(pool["part"])
                    split = urlsplit(url)
                    session, number = split.path.split("/")[-2:]
                    query = {key: values[0] for key, values in parse_qs(split.query).items()}
                    if isinstance(case.path_parameters.get("sessionId"), str):
                        case.path_parameters["sessionId"] = session
                    if valid_int(case.path_parameters.get("partNumber"), 1, 10000):
                        case.path_parameters["partNumber"] = int(number)
                    if valid_int(case.query.get("expires"), -(1 << 63), (1 << 63) - 1):
                        case.query["expires"] = int(query["expires"])
                    if isinstance(case.query.get("signature"), str):
                        case.query["signature"] = query["signature"]
                    if size <= 1 << 20 and rng.random() < 0.5:
                        case.body = bytes(rng.getrandbits(8) for _ in range(size))
            return case


        # In the plain user's run, every id the pool already holds came from the admin's run: not the user's.
        foreign = set()
        if os.environ.get("UPMAN_FUZZ_ROLE") == "user":
            foreign = {value for kind in ("groupId", "sessionId", "jobId", "upload") for value in pool[kind]}


        # The ids each action acts on (other fields of the same name are extras the action ignores).
        TARGETS = {
            "initiate": ("groupId",), "signParts": ("sessionId",), "partUploaded": ("sessionId",),
            "complete": ("sessionId",), "abort": ("sessionId",), "retry": ("groupId", "sessionId", "jobId"),
            "cancel": ("groupId", "sessionId"), "delete": ("groupId", "sessionId"), "status": ("groupId", "sessionId"),
        }


        @schemathesis.check
        def others_uploads_stay_hidden(ctx, response, case):
            """A user's token never gets a success for another user's group, session or job."""
            if not foreign or not 200 <= response.status_code < 300:
                return None
            named = []
            if isinstance(case.body, dict):
                named += [case.body.get(kind) for kind in TARGETS.get(case.body.get("action"), ())]
            if isinstance(case.query, dict):
                named.append(case.query.get("groupId"))
            if isinstance(case.path_parameters, dict):
                named.append(case.path_parameters.get("uploadId"))
            hits = [value for value in named if isinstance(value, str) and value in foreign]
            if hits:
                raise AssertionError(f"a user's token got {response.status_code} for another user's {', '.join(hits)}")
            return None


        def seed():
            """Starts a few uploads (one byte, a small single PUT, two parts) so that the first operations
            schemathesis tests, whichever they are, already find real ids and signed part URLs."""
            import requests

            url, token = os.environ.get("UPMAN_FUZZ_URL"), os.environ.get("UPMAN_FUZZ_TOKEN")
            if not url or not token:
                return
            headers = {"Authorization": "Bearer " + token}
            bodies = [
                {"action": "createGroup", "name": "fuzz"},
                {"action": "initiate", "fileName": "one", "size": 1},
                {"action": "initiate", "fileName": "small", "size": 1000},
                {"action": "initiate", "fileName": "parts", "size": 6 << 20, "partSize": 5 << 20},
            ]
            for body in bodies:
                answer = requests.post(url + "/api/v1/controller", json=body, headers=headers, timeout=10).json()
                collect(answer)
                session = answer.get("session", {})
                if session.get("method") == "multipart":
                    signed = {"action": "signParts", "sessionId": session["id"], "partNumbers": [1, 2]}
                    collect(requests.post(url + "/api/v1/controller", json=signed, headers=headers, timeout=10).json())


        seed()


        def save():
            if POOL_FILE:
                with open(POOL_FILE, "w") as file:
                    json.dump(pool, file)
            if STATS_FILE:
                with open(STATS_FILE, "w") as file:
                    json.dump(stats, file, indent=1, sort_keys=True)


        atexit.register(save)
        """#
}
