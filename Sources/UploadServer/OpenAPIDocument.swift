/// The OpenAPI 3.0.3 description of upman's HTTP API, served at `GET /api/v1/openapi.yaml`.
enum OpenAPIDocument {
    /// The document as YAML.
    static let yaml = """
    openapi: 3.0.3
    info:
      title: upman
      version: 1.0.0
      description: |
        upman is a resumable, chunked file-upload server.

        - `POST /api/v1/controller` is the one session controller: every body is `{"action": NAME, ...}`.
        - `GET /api/v1/events` streams every committed change the caller may see as Server-Sent Events.
        - `PUT /storage/{sessionId}/{partNumber}` is the embedded disk store's data plane, reached only through the
          signed, expiring URLs the controller hands out (`initiate` and `signParts`).

        JSON keys are camelCase; times are ISO-8601 UTC with milliseconds (`2026-11-25T02:15:13.123Z`); ids are
        strings; sizes are bytes; optional properties are omitted when they have no value.

        Every error answers `{"error":{"code":"...","message":"..."}}` with the status its code maps to
        (see `ErrorResponse` and its `x-error-codes`). A failure the server has no code for answers 500
        `internalError`, whose message names only the request's id; the server's log holds the detail under it.

        Every response carries `X-Request-Id`: the request's id, as the server's log lines name it. A client may
        send its own (1 to 128 letters, digits, `-`, `_`, `.` or `:`); any other value is replaced.

        Auth: `Authorization: Bearer TOKEN`. A user token sees and acts on its own uploads only; an admin token sees
        and acts on all. Entities another user owns answer 404, as if they did not exist.
    servers:
      - url: http://127.0.0.1:8080
        description: The default address of `upman serve`.
    tags:
      - name: controller
        description: The session controller.
      - name: events
        description: Server-Sent Events of committed changes.
      - name: storage
        description: The embedded disk store's data plane (signed URLs).
      - name: webhook
        description: Bucket notifications from S3-compatible storage.
      - name: operations
        description: Health, metrics and this document.
    security:
      - bearerAuth: []
    paths:
      /api/v1/controller:
        post:
          tags: [controller]
          operationId: controller
          summary: Runs one controller action.
          description: |
            The body names its action; the other fields are the action's own. Each action runs in one transaction
            through the lifecycle state machine; an illegal status change answers 409 `invalidTransition`.
            The body may be at most 1 MiB.

            | action | response |
            | --- | --- |
            | createGroup | `GroupResult` |
            | initiate | `InitiateResponse` (one file) or `InitiateBatchResponse` (`files`) |
            | signParts | `SignPartsResponse` |
            | partUploaded | `PartRecorded` |
            | partsUploaded | `PartsRecorded` |
            | complete | `SessionResult` |
            | abort | `SessionResult` |
            | retry | `RetryResponse` |
            | cancel | `GroupResult` (groupId) or `SessionResult` (sessionId) |
            | delete | `DeleteResponse` |
            | status | `StatusResponse` |
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/ControllerRequest'
                examples:
                  initiate:
                    summary: Start a 100 MiB upload in an existing group.
                    value:
                      action: initiate
                      groupId: grp_01J9ZK3Q8W
                      fileName: videos/intro.mp4
                      size: 104857600
                      contentType: video/mp4
                  initiateBatch:
                    summary: Start three small uploads in one call (one transaction, all or nothing).
                    value:
                      action: initiate
                      groupId: grp_01J9ZK3Q8W
                      files:
                        - fileName: notes/a.txt
                          size: 4096
                          fingerprint: size=4096;mtime=1767225600
                        - fileName: notes/b.txt
                          size: 812
                          checksum:
                            algorithm: crc32c
                            value: yZRlqg==
                        - fileName: notes/c.txt
                          size: 0
                  signParts:
                    summary: Signed URLs for parts 1 to 3.
                    value:
                      action: signParts
                      sessionId: ses_01J9ZK4B2C
                      partNumbers: [1, 2, 3]
          responses:
            '200':
              description: The action's result; its shape depends on the action (see the table above).
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/ControllerResponse'
            '400':
              $ref: '#/components/responses/BadRequest'
            '401':
              $ref: '#/components/responses/Unauthorized'
            '403':
              $ref: '#/components/responses/Forbidden'
            '404':
              $ref: '#/components/responses/NotFound'
            '409':
              $ref: '#/components/responses/Conflict'
            '413':
              $ref: '#/components/responses/PayloadTooLarge'
            '422':
              $ref: '#/components/responses/UnprocessableEntity'
            '503':
              $ref: '#/components/responses/ServiceUnavailable'
            '507':
              $ref: '#/components/responses/InsufficientStorage'
            '500':
              $ref: '#/components/responses/InternalError'
      /api/v1/events:
        get:
          tags: [events]
          operationId: events
          summary: Streams committed changes as Server-Sent Events.
          description: |
            Every message has `id:` (the event-log id), `event:` (group, session, part, job or reset) and `data:`
            (the entity's JSON after the change). A deleted entity's `data:` is a `DeletedEntity`
            (`{"kind":...,"id":...,"groupId":...,"deleted":true}`).

            With `Last-Event-ID` (or `?lastEventId=`) the stream first replays what was missed from the durable
            log; when the log no longer reaches back that far, or never issued that id (one larger than the latest,
            kept across a database reset, or not an event id at all), it sends one `reset` event (`ResetEvent`
            data, `id:` the latest id) and then live events, and the client should reload its state. The stream
            starts with `retry: 2000` and a `: connected` comment; `: heartbeat` comments keep proxies from closing
            it. A user token receives its own uploads' events only.
          parameters:
            - name: Last-Event-ID
              in: header
              required: false
              description: |
                The id of the last event the client received (a non-negative integer); missed events are replayed.
                Any other value, or an id the log never issued, is answered with a `reset` event, never refused.
              schema:
                type: string
                example: '42'
            - name: lastEventId
              in: query
              required: false
              description: The same as the `Last-Event-ID` header (the header wins when both are given).
              schema:
                type: string
                example: '42'
            - name: groupId
              in: query
              required: false
              description: Only events of this group.
              schema:
                type: string
          responses:
            '200':
              description: An endless event stream.
              headers:
                Cache-Control:
                  description: Always `no-cache`.
                  schema:
                    type: string
              content:
                text/event-stream:
                  schema:
                    $ref: '#/components/schemas/ServerSentEvent'
                  example: |
                    retry: 2000
                    : connected

                    id: 42
                    event: part
                    data: {"attempts":1,"createdAt":"2026-11-25T02:15:13.123Z","etag":"9b2cf535f27731c974343645a3985328"}

            '401':
              $ref: '#/components/responses/Unauthorized'
            '404':
              $ref: '#/components/responses/NotFound'
            '503':
              $ref: '#/components/responses/ServiceUnavailable'
            '500':
              $ref: '#/components/responses/InternalError'
      /api/v1/storage-webhook:
        post:
          tags: [webhook]
          operationId: storageWebhook
          summary: Receives bucket notifications from MinIO or S3.
          description: |
            MinIO's bucket-notification JSON (`EventName`, `Key`, `Records`; `s3.object.key` URL-encoded with a space
            as `+`). Each record is a hint: upman looks at the object in storage (HeadObject) and moves the session
            to what storage holds, so repeated deliveries and any order end in the same state.

            - `s3:ObjectCreated:Put` / `s3:ObjectCreated:CompleteMultipartUpload`: a PENDING or UPLOADING session
              whose object is in storage at its planned size is finished (part recorded, UPLOADED, then PROCESSING
              with its jobs) in one transaction. A session that already moved on is left as it is. An object of
              another size, or a multipart object whose ETag differs from its recorded parts', makes the session
              FAILED (`objectMismatch`).
            - `s3:ObjectRemoved:*` when the object really is gone: COMPLETED (terminal) keeps its status and records
              the error `objectRemoved`; UPLOADED or PROCESSING become FAILED (`objectRemoved`); an open single-PUT
              session's recorded part is reopened (PENDING).
            - A record for a key no session has, or for another bucket, is logged and counted in `unknown`.

            Authenticated by `Authorization: Bearer TOKEN`: the token of `--webhook-token` / `UPMAN_WEBHOOK_TOKEN`
            when one is configured (then only it), otherwise any admin token (MinIO's `auth_token`).
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/StorageNotification'
          responses:
            '200':
              description: Every record was applied, ignored as stale, or counted as unknown.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/WebhookResult'
            '400':
              $ref: '#/components/responses/BadRequest'
            '401':
              $ref: '#/components/responses/Unauthorized'
            '403':
              $ref: '#/components/responses/Forbidden'
            '409':
              $ref: '#/components/responses/Conflict'
            '503':
              $ref: '#/components/responses/ServiceUnavailable'
            '500':
              $ref: '#/components/responses/InternalError'
      /storage/{sessionId}/{partNumber}:
        put:
          tags: [storage]
          operationId: putPart
          summary: Uploads the bytes of one part through a signed URL.
          description: |
            Only with the embedded disk store (`--storage disk`, the default); with S3 storage the signed URLs point
            at the S3 service and this route does not exist. The URL comes from `initiate` (single uploads) or
            `signParts`; its signature covers the method, the path, the expiry and the part's planned offset and
            size, and is checked before a byte is read. The body must be exactly the part's planned size. The part
            is UPLOADING while bytes flow, then UPLOADED with its ETag, or FAILED with the reason. Sending a part
            again replaces it. No bearer token is needed: the signature is the authorization.

            A single upload (method `single`) whose bytes all arrive with their checksums holding completes its
            session in the same transaction that records the part, as `complete` would (UPLOADED, then PROCESSING
            with its jobs, or COMPLETED), and the answer carries the `session`: no `complete` call is needed, and one
            made anyway answers the session as it is. A PUT that fails (a checksum mismatch, a connection broken
            off) leaves the session open and the PUT may be sent again. Multipart parts never complete a session.
          security: []
          parameters:
            - name: sessionId
              in: path
              required: true
              schema:
                type: string
            - name: partNumber
              in: path
              required: true
              description: 1-based.
              schema:
                type: integer
                minimum: 1
            - name: expires
              in: query
              required: true
              description: When the URL expires, in seconds since 1970 (UTC).
              schema:
                type: integer
                format: int64
            - name: signature
              in: query
              required: true
              description: The URL's signature.
              schema:
                type: string
            - name: Content-MD5
              in: header
              required: false
              description: Base64 MD5 of the body; a mismatch fails the part with 422 `checksumMismatch`. Only computed when sent.
              schema:
                type: string
            - name: x-amz-checksum-sha256
              in: header
              required: false
              description: Base64 SHA-256 of the body; a mismatch fails the part with 422 `checksumMismatch`.
              schema:
                type: string
            - name: x-amz-checksum-crc32c
              in: header
              required: false
              description: |
                Base64 of the body's big-endian CRC-32C (what `upman put` sends); a mismatch fails the part with 422
                `checksumMismatch`. The store computes the CRC-32C of every part either way and records it.
              schema:
                type: string
          requestBody:
            required: true
            content:
              application/octet-stream:
                schema:
                  type: string
                  format: binary
          responses:
            '200':
              description: The part was stored and is UPLOADED (and, for a single upload, its session finished).
              headers:
                ETag:
                  description: |
                    The part's ETag (what `partUploaded` and `complete` expect): the lowercase hex of its CRC-32C,
                    quoted. An opaque validator, not an MD5.
                  schema:
                    type: string
                x-amz-checksum-crc32c:
                  description: Base64 of the part's big-endian CRC-32C as the store computed it.
                  schema:
                    type: string
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/PartRecorded'
            '400':
              $ref: '#/components/responses/BadRequest'
            '403':
              $ref: '#/components/responses/Forbidden'
            '404':
              $ref: '#/components/responses/NotFound'
            '409':
              $ref: '#/components/responses/Conflict'
            '413':
              $ref: '#/components/responses/PayloadTooLarge'
            '422':
              $ref: '#/components/responses/UnprocessableEntity'
            '503':
              $ref: '#/components/responses/ServiceUnavailable'
            '507':
              $ref: '#/components/responses/InsufficientStorage'
            '500':
              $ref: '#/components/responses/InternalError'
      /healthz:
        get:
          tags: [operations]
          operationId: health
          summary: Liveness and the latest event-log id.
          security: []
          responses:
            '200':
              description: The server is up and its database answers.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Health'
            '503':
              $ref: '#/components/responses/ServiceUnavailable'
            '500':
              $ref: '#/components/responses/InternalError'
      /metrics:
        get:
          tags: [operations]
          operationId: metrics
          summary: Prometheus metrics.
          security: []
          responses:
            '200':
              description: Metrics in the Prometheus text exposition format (version 0.0.4).
              content:
                text/plain:
                  schema:
                    type: string
      /api/v1/openapi.yaml:
        get:
          tags: [operations]
          operationId: openapi
          summary: This document.
          security: []
          responses:
            '200':
              description: The OpenAPI 3.0.3 description of the API.
              content:
                application/yaml:
                  schema:
                    type: string
    components:
      headers:
        RequestId:
          description: The request's id (the client's own `X-Request-Id` when it was sane); the server's log names it.
          schema:
            type: string
            example: 4f1c2a9be07d4c3a8e5b6d7f01234567
      securitySchemes:
        bearerAuth:
          type: http
          scheme: bearer
          description: A token from `upman token create`, or the admin token in the data directory's `admin.token`.
      responses:
        BadRequest:
          description: |
            `badRequest`: the body is not valid JSON, a field is missing or of the wrong type, the action is unknown,
            or the target is ambiguous (retry, cancel, delete and status take exactly one of their ids). On
            `PUT /storage/...`: the body ended before the part's planned size.
          headers:
            X-Request-Id:
              $ref: '#/components/headers/RequestId'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
        Unauthorized:
          description: '`unauthorized`: no `Authorization: Bearer TOKEN` header, or an unknown token.'
          headers:
            WWW-Authenticate:
              description: Always `Bearer`.
              schema:
                type: string
            X-Request-Id:
              $ref: '#/components/headers/RequestId'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
        Forbidden:
          description: |
            `forbidden`: the token may not do this, the database is read-only, or (on `PUT /storage/...`) the URL
            is not a signed part URL, or its signature is invalid or expired.
          headers:
            X-Request-Id:
              $ref: '#/components/headers/RequestId'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
        NotFound:
          description: '`notFound`: no such group, session, job or route, or it belongs to another user.'
          headers:
            X-Request-Id:
              $ref: '#/components/headers/RequestId'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
        Conflict:
          description: |
            `invalidTransition`: the lifecycle does not allow this status change (e.g. completing a CANCELLED
            session). `conflict`: the entity is in a state where the request makes no sense (bytes for a session
            that takes no more or is completing, completing with parts missing or still arriving, nothing to retry,
            a cancelled group). `invalidPart`: `partUploaded` or `complete` named a part the storage does not hold
            as reported (never received, another ETag or size); on `complete` such parts are reopened (PENDING)
            so they can be sent again. `invalidPartOrder`, `entityTooSmall`: S3 refused the completion; the
            session stays open. A part's ETag compares without its quotes.
          headers:
            X-Request-Id:
              $ref: '#/components/headers/RequestId'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
        PayloadTooLarge:
          description: |
            `fileTooLarge`: the file is larger than 5 TiB. `payloadTooLarge`: a body is larger than planned or
            allowed (a controller body over 1 MiB, a part body over its planned size).
          headers:
            X-Request-Id:
              $ref: '#/components/headers/RequestId'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
        UnprocessableEntity:
          description: |
            `invalidArgument`: a well-formed value is not acceptable (a negative size, a part number outside the
            plan, a part size that differs from the plan, a malformed sha256, a weak (`W/"…"`) or malformed ETag). `invalidPartSize`: the requested part
            size is outside 5 MiB to 5 GiB. `checksumMismatch`: the bytes do not match the checksum sent with them.
          headers:
            X-Request-Id:
              $ref: '#/components/headers/RequestId'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
        ServiceUnavailable:
          description: |
            `storeUnavailable`: the database is busy or unavailable. `storageError`: the object storage failed.
            The request may be retried.
          headers:
            X-Request-Id:
              $ref: '#/components/headers/RequestId'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
        InternalError:
          description: |
            `internalError`: the server failed in a way it has no code for. The message says only
            `internal error; request id ID`, the same id as the `X-Request-Id` header; the server's log holds the
            detail under that id.
          headers:
            X-Request-Id:
              $ref: '#/components/headers/RequestId'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
        InsufficientStorage:
          description: '`storageFull`: the storage has no room for the bytes.'
          headers:
            X-Request-Id:
              $ref: '#/components/headers/RequestId'
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
      schemas:
        Timestamp:
          type: string
          format: date-time
          description: ISO-8601 UTC with milliseconds.
          example: '2026-11-25T02:15:13.123Z'
        GroupStatus:
          type: string
          enum: [PENDING, IN_PROGRESS, COMPLETED, FAILED, CANCELLED]
        FileStatus:
          type: string
          enum: [PENDING, UPLOADING, UPLOADED, PROCESSING, COMPLETED, FAILED, CANCELLED, EXPIRED]
        PartStatus:
          type: string
          enum: [PENDING, UPLOADING, UPLOADED, FAILED]
        JobStatus:
          type: string
          enum: [QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED]
        UploadMethod:
          type: string
          enum: [single, multipart]
          description: '`single`: one signed PUT of the whole file. `multipart`: several parts, sent in parallel.'
        ErrorDetail:
          type: object
          description: |
            The last error recorded on an entity. Besides the codes of `ErrorResponse`, entities carry codes of
            their own, such as `aborted` or `cancelledByOperator`, or a processing job's failure. With S3 storage:
            `uploadGone` (the multipart upload vanished from storage, NoSuchUpload; the session is EXPIRED),
            `objectRemoved` (storage reported the object deleted) and `objectMismatch` (storage holds other bytes).
          required: [code, message]
          properties:
            code:
              type: string
              description: A stable machine-readable code.
              example: checksumMismatch
            message:
              type: string
              description: A one-line explanation for operators.
        ErrorResponse:
          type: object
          description: The body of every error answer.
          required: [error]
          properties:
            error:
              type: object
              required: [code, message]
              properties:
                code:
                  type: string
                  description: |
                    A stable error code; its HTTP status travels with it:
                    badRequest 400, invalidArgument 422, unauthorized 401, forbidden 403, notFound 404,
                    invalidTransition 409, conflict 409, invalidPart 409, invalidPartOrder 409, entityTooSmall 409,
                    fileTooLarge 413, payloadTooLarge 413, invalidPartSize 422, checksumMismatch 422,
                    storeUnavailable 503, storageFull 507, storageError 503, methodNotAllowed 405, internalError 500.
                  enum:
                    - badRequest
                    - invalidArgument
                    - unauthorized
                    - forbidden
                    - notFound
                    - invalidTransition
                    - conflict
                    - invalidPart
                    - invalidPartOrder
                    - entityTooSmall
                    - fileTooLarge
                    - payloadTooLarge
                    - invalidPartSize
                    - checksumMismatch
                    - storeUnavailable
                    - storageFull
                    - storageError
                    - methodNotAllowed
                    - internalError
                  x-error-codes:
                    - code: badRequest
                      status: 400
                      description: The request is malformed or a field is missing or of the wrong type.
                    - code: invalidArgument
                      status: 422
                      description: A field is well-formed but its value is not acceptable.
                    - code: unauthorized
                      status: 401
                      description: No valid token was presented.
                    - code: forbidden
                      status: 403
                      description: The token (or signed URL) may not do this.
                    - code: notFound
                      status: 404
                      description: The named entity does not exist (or is not visible to this token).
                    - code: invalidTransition
                      status: 409
                      description: The lifecycle does not allow this status change.
                    - code: conflict
                      status: 409
                      description: The entity is in a state where this request makes no sense.
                    - code: invalidPart
                      status: 409
                      description: |
                        A part is not in storage as reported (S3's InvalidPart): no such part, or another entity tag
                        or size. Send the part again; the session stays open.
                    - code: invalidPartOrder
                      status: 409
                      description: The storage refused the order of the parts at completion (S3's InvalidPartOrder).
                    - code: entityTooSmall
                      status: 409
                      description: |
                        A part other than the last is under the storage's minimum size at completion (S3's
                        EntityTooSmall). Send the part again; the session stays open.
                    - code: fileTooLarge
                      status: 413
                      description: A file is larger than upman (and S3) can take (5 TiB).
                    - code: payloadTooLarge
                      status: 413
                      description: A body is larger than planned or allowed.
                    - code: invalidPartSize
                      status: 422
                      description: A requested part size is outside the allowed range.
                    - code: checksumMismatch
                      status: 422
                      description: The bytes received do not match the checksum that was sent with them.
                    - code: storeUnavailable
                      status: 503
                      description: The database is busy or unavailable; the request may be retried.
                    - code: storageFull
                      status: 507
                      description: The storage has no room for the bytes.
                    - code: storageError
                      status: 503
                      description: The storage failed (I/O, permissions, an S3 error); the request may be retried.
                    - code: methodNotAllowed
                      status: 405
                      description: The route exists but not for this method.
                    - code: internalError
                      status: 500
                      description: |
                        The server failed in a way it has no code for. The message names only the request's id (as in
                        `X-Request-Id`); the server's log holds the detail under it.
                message:
                  type: string
                  description: A one-line explanation for people.
          example:
            error:
              code: notFound
              message: no session ses_01J9ZK4B2C
        UploadGroup:
          type: object
          description: A set of files uploaded together; its status and counters derive from its sessions.
          required: [id, userId, name, status, totalFiles, completedFiles, failedFiles, totalBytes, bytesUploaded, createdAt,
            updatedAt, lastActivityAt]
          properties:
            id:
              type: string
              example: grp_01J9ZK3Q8W
            userId:
              type: string
              description: The user who owns the group.
            name:
              type: string
            description:
              type: string
            status:
              $ref: '#/components/schemas/GroupStatus'
            totalFiles:
              type: integer
              minimum: 0
              description: Number of sessions in the group.
            completedFiles:
              type: integer
              minimum: 0
              description: Sessions that are COMPLETED.
            failedFiles:
              type: integer
              minimum: 0
              description: Sessions that are FAILED or EXPIRED.
            totalBytes:
              type: integer
              format: int64
              minimum: 0
              description: Sum of the sessions' sizes.
            bytesUploaded:
              type: integer
              format: int64
              minimum: 0
              description: Sum of the sessions' uploaded bytes.
            expectedFiles:
              type: integer
              minimum: 0
              description: How many files the uploader announced (createGroup's `expectedFiles`).
            expectedBytes:
              type: integer
              format: int64
              minimum: 0
              description: How many bytes the uploader announced (createGroup's `expectedBytes`).
            error:
              $ref: '#/components/schemas/ErrorDetail'
            createdAt:
              $ref: '#/components/schemas/Timestamp'
            updatedAt:
              $ref: '#/components/schemas/Timestamp'
            lastActivityAt:
              $ref: '#/components/schemas/Timestamp'
            actedBy:
              type: string
              description: 'Who last changed it: a user name, an operator, or `system`.'
        UploadSession:
          type: object
          description: One file's upload.
          required: [id, groupId, userId, fileName, size, objectKey, method, partSize, totalParts, completedParts,
            bytesUploaded, status, attempts, createdAt, updatedAt, lastActivityAt]
          properties:
            id:
              type: string
              example: ses_01J9ZK4B2C
            groupId:
              type: string
            userId:
              type: string
            fileName:
              type: string
              description: The file's name as the uploader gave it (a relative path for directories).
            contentType:
              type: string
            size:
              type: integer
              format: int64
              minimum: 0
            sha256:
              type: string
              description: The SHA-256 the client declared (lowercase hex).
            checksum:
              allOf:
                - $ref: '#/components/schemas/ObjectChecksum'
              description: |
                The whole object's CRC-32C: as declared at `initiate` until the bytes are in, then combined from the
                parts' (absent when a part has none, e.g. an S3 part reported without one).
            receivedSHA256:
              type: string
              description: The SHA-256 (hex) of a single PUT's bytes, computed as they streamed in when the sha256 job is configured.
            fingerprint:
              type: string
              description: What the uploader recorded of its local file (e.g. its modification time), to refuse resuming a changed file.
            objectKey:
              type: string
              description: Where the object lives in storage.
            uploadId:
              type: string
              description: The storage's multipart upload id, when it has one.
            method:
              $ref: '#/components/schemas/UploadMethod'
            partSize:
              type: integer
              format: int64
              minimum: 0
              description: The planned size of every part but the last.
            totalParts:
              type: integer
              minimum: 1
            completedParts:
              type: integer
              minimum: 0
            bytesUploaded:
              type: integer
              format: int64
              minimum: 0
            status:
              $ref: '#/components/schemas/FileStatus'
            error:
              $ref: '#/components/schemas/ErrorDetail'
            attempts:
              type: integer
              minimum: 0
              description: How many times the session was (re)started.
            createdAt:
              $ref: '#/components/schemas/Timestamp'
            updatedAt:
              $ref: '#/components/schemas/Timestamp'
            uploadedAt:
              $ref: '#/components/schemas/Timestamp'
            completedAt:
              $ref: '#/components/schemas/Timestamp'
            lastActivityAt:
              $ref: '#/components/schemas/Timestamp'
            actedBy:
              type: string
        FilePart:
          type: object
          description: One part of a file's upload (a single PUT is a file of one part).
          required: [id, sessionId, groupId, partNumber, offset, size, status, attempts, createdAt, updatedAt]
          properties:
            id:
              type: string
              description: '`<sessionId>:<partNumber>`.'
              example: 'ses_01J9ZK4B2C:1'
            sessionId:
              type: string
            groupId:
              type: string
            partNumber:
              type: integer
              minimum: 1
            offset:
              type: integer
              format: int64
              minimum: 0
              description: Byte offset of the part in the file.
            size:
              type: integer
              format: int64
              minimum: 0
              description: Planned size in bytes.
            status:
              $ref: '#/components/schemas/PartStatus'
            etag:
              type: string
            checksum:
              type: string
              format: byte
              description: The part's CRC-32C once uploaded (base64 of four big-endian bytes, as `x-amz-checksum-crc32c`).
            attempts:
              type: integer
              minimum: 0
            error:
              $ref: '#/components/schemas/ErrorDetail'
            createdAt:
              $ref: '#/components/schemas/Timestamp'
            updatedAt:
              $ref: '#/components/schemas/Timestamp'
            uploadedAt:
              $ref: '#/components/schemas/Timestamp'
            actedBy:
              type: string
        ProcessingJob:
          type: object
          description: Work done on a file after its bytes arrived.
          required: [id, sessionId, groupId, kind, position, status, attempts, maxAttempts, createdAt, updatedAt]
          properties:
            id:
              type: string
              example: job_01J9ZK5D7E
            sessionId:
              type: string
            groupId:
              type: string
            kind:
              type: string
              description: The job kind, e.g. `sha256`, `content-type`, `exec`.
            position:
              type: integer
              minimum: 0
              description: Order among the session's jobs (0 first).
            status:
              $ref: '#/components/schemas/JobStatus'
            attempts:
              type: integer
              minimum: 0
            maxAttempts:
              type: integer
              minimum: 0
            output:
              type: string
              description: What the job produced (a digest, a media type, a command's output tail).
            error:
              $ref: '#/components/schemas/ErrorDetail'
            createdAt:
              $ref: '#/components/schemas/Timestamp'
            updatedAt:
              $ref: '#/components/schemas/Timestamp'
            runAfter:
              $ref: '#/components/schemas/Timestamp'
            startedAt:
              $ref: '#/components/schemas/Timestamp'
            finishedAt:
              $ref: '#/components/schemas/Timestamp'
            actedBy:
              type: string
        DeletedEntity:
          type: object
          description: The SSE `data:` of a deleted entity.
          required: [kind, id, groupId, deleted]
          properties:
            kind:
              type: string
              enum: [group, session, part, job]
            id:
              type: string
            groupId:
              type: string
              description: The entity's group (the group's own id for a group).
            deleted:
              type: boolean
              enum: [true]
            actedBy:
              type: string
              description: 'Who deleted it: a user name, an operator, or `system`.'
        ServerSentEvent:
          type: object
          description: |
            One event of `GET /api/v1/events`, by its fields. `data:` is the JSON of the entity after the change
            (`UploadGroup`, `UploadSession`, `FilePart` or `ProcessingJob`), a `DeletedEntity`, or for `reset` a
            `ResetEvent`. The stream's opening `retry:` line and its comments are not events.
          required: [id, event, data]
          properties:
            id:
              type: string
              pattern: '^[0-9]+$'
              description: The event-log id (send it back as `Last-Event-ID`).
            event:
              type: string
              enum: [group, session, part, job, reset]
            data:
              type: string
              description: The JSON described above, on one line.
        ResetEvent:
          type: object
          description: The SSE `data:` of a `reset` event; the client should reload its state.
          required: [latestId, oldestId, reason]
          properties:
            latestId:
              type: integer
              format: int64
            oldestId:
              type: integer
              format: int64
            reason:
              type: string
              enum: [replay window exceeded, unknown event id]
              description: |
                `replay window exceeded`: the log was trimmed past the client's id. `unknown event id`: the log
                never issued that id (larger than the latest, or not an event id).
        WebhookResult:
          type: object
          required: [received, applied, unknown]
          properties:
            received:
              type: integer
              description: Records in the delivery.
            applied:
              type: integer
              description: Records that changed a session.
            unknown:
              type: integer
              description: Records for keys (or buckets) upman does not know.
        StorageNotification:
          type: object
          description: |
            A MinIO bucket notification (AWS S3's `Records` format with MinIO's `EventName` and `Key`). Every record
            needs `s3.object.key`, or the whole delivery is refused (400) and none of it is applied. Optional fields
            may be null, as some senders write them.
          properties:
            EventName:
              type: string
              nullable: true
              example: s3:ObjectCreated:Put
            Key:
              type: string
              nullable: true
              description: bucket/key
            Records:
              type: array
              nullable: true
              items:
                type: object
                required: [s3]
                properties:
                  eventSource:
                    type: string
                    nullable: true
                    example: minio:s3
                  eventName:
                    type: string
                    nullable: true
                  eventTime:
                    type: string
                    nullable: true
                  s3:
                    type: object
                    required: [object]
                    properties:
                      bucket:
                        type: object
                        nullable: true
                        properties:
                          name:
                            type: string
                            nullable: true
                      object:
                        type: object
                        required: [key]
                        properties:
                          key:
                            type: string
                            description: URL-encoded, a space as `+`. A key that does not decode is counted as unknown.
                          size:
                            type: integer
                            format: int64
                            nullable: true
                          eTag:
                            type: string
                            nullable: true
                          sequencer:
                            type: string
                            nullable: true
        Health:
          type: object
          required: [status, latestEventId]
          properties:
            status:
              type: string
              enum: [ok]
            latestEventId:
              type: integer
              format: int64
              description: The newest event-log id (0 when the log is empty).
        ControllerRequest:
          description: The body of `POST /api/v1/controller`, chosen by `action`.
          oneOf:
            - $ref: '#/components/schemas/CreateGroupRequest'
            - $ref: '#/components/schemas/InitiateRequest'
            - $ref: '#/components/schemas/SignPartsRequest'
            - $ref: '#/components/schemas/PartUploadedRequest'
            - $ref: '#/components/schemas/PartsUploadedRequest'
            - $ref: '#/components/schemas/CompleteRequest'
            - $ref: '#/components/schemas/AbortRequest'
            - $ref: '#/components/schemas/RetryRequest'
            - $ref: '#/components/schemas/CancelRequest'
            - $ref: '#/components/schemas/DeleteRequest'
            - $ref: '#/components/schemas/StatusRequest'
          discriminator:
            propertyName: action
            mapping:
              createGroup: '#/components/schemas/CreateGroupRequest'
              initiate: '#/components/schemas/InitiateRequest'
              signParts: '#/components/schemas/SignPartsRequest'
              partUploaded: '#/components/schemas/PartUploadedRequest'
              partsUploaded: '#/components/schemas/PartsUploadedRequest'
              complete: '#/components/schemas/CompleteRequest'
              abort: '#/components/schemas/AbortRequest'
              retry: '#/components/schemas/RetryRequest'
              cancel: '#/components/schemas/CancelRequest'
              delete: '#/components/schemas/DeleteRequest'
              status: '#/components/schemas/StatusRequest'
        CreateGroupRequest:
          type: object
          description: 'A new, empty group owned by the caller. Answers `GroupResult`.'
          required: [action, name]
          properties:
            action:
              type: string
              enum: [createGroup]
            name:
              type: string
              minLength: 1
              description: At most 512 bytes, without NUL.
            description:
              type: string
            expectedFiles:
              type: integer
              minimum: 0
              maximum: 100000000
              description: How many files the group will hold, when the uploader knows (dashboards show progress against it).
            expectedBytes:
              type: integer
              format: int64
              minimum: 0
              description: How many bytes the group will hold, when the uploader knows.
        InitiateRequest:
          type: object
          description: |
            Plans the file (single PUT under the multipart threshold, else parts), prepares storage and records the
            session, in a new group of its own when `groupId` is absent. Answers `InitiateResponse`.

            With `files` (1 to 1,000 entries, each with the single-file fields), it initiates them all in ONE
            transaction and answers `InitiateBatchResponse`, in the same order; then `fileName`, `size`,
            `contentType`, `sha256`, `partSize` and `fingerprint` must be absent at the top level. All or nothing: an
            entry that is wrong answers the error of the single form with the entry named in its message
            (`files[3]: …`), and nothing is recorded. An entry with a `fingerprint` whose session is still open in
            the group gets that session again, as the single form does.
          required: [action]
          oneOf:
            - required: [fileName, size]
              not:
                required: [files]
            - required: [files]
              not:
                anyOf:
                  - required: [fileName]
                  - required: [size]
                  - required: [contentType]
                  - required: [sha256]
                  - required: [partSize]
                  - required: [fingerprint]
                  - required: [checksum]
          properties:
            action:
              type: string
              enum: [initiate]
            groupId:
              type: string
              description: The group to add the file to (not a CANCELLED one).
            fileName:
              type: string
              minLength: 1
              description: The file's name (a relative path for directories); at most 1024 bytes, without NUL.
            size:
              type: integer
              format: int64
              minimum: 0
              maximum: 5497558138880
              description: The file's size in bytes (at most 5 TiB).
            contentType:
              type: string
            sha256:
              type: string
              pattern: '^[0-9a-fA-F]{64}$'
              description: The file's SHA-256 (hex), checked after upload.
            partSize:
              type: integer
              format: int64
              minimum: 5242880
              maximum: 5368709120
              description: Preferred part size for multipart uploads (5 MiB to 5 GiB).
            fingerprint:
              type: string
              maxLength: 256
              description: What the uploader records of its local file (e.g. its modification time), returned on the session.
            checksum:
              allOf:
                - $ref: '#/components/schemas/ObjectChecksum'
              description: The whole file's CRC-32C, if known before sending; the session completes only if the bytes match it.
            files:
              type: array
              minItems: 1
              maxItems: 1000
              description: The batch form; each entry is initiated as the single form would be.
              items:
                $ref: '#/components/schemas/InitiateFile'
        InitiateFile:
          type: object
          description: One file of a batch `initiate`.
          required: [fileName, size]
          properties:
            fileName:
              type: string
              minLength: 1
              description: The file's name (a relative path for directories); at most 1024 bytes, without NUL.
            size:
              type: integer
              format: int64
              minimum: 0
              maximum: 5497558138880
            contentType:
              type: string
            checksum:
              $ref: '#/components/schemas/ObjectChecksum'
            fingerprint:
              type: string
              maxLength: 256
            partSize:
              type: integer
              format: int64
              minimum: 5242880
              maximum: 5368709120
        ObjectChecksum:
          type: object
          description: |
            A whole object's checksum: S3's "full object" CRC-32C (the CRC of all the bytes in order, combined on the
            server from the parts' CRCs without reading the bytes again), as `x-amz-checksum-crc32c` writes it: base64
            of the four big-endian bytes.
          required: [algorithm, value]
          properties:
            algorithm:
              type: string
              enum: [crc32c]
            value:
              type: string
              description: Base64 of exactly four bytes (the last character before `==` carries two bits).
              pattern: '^[A-Za-z0-9+/]{5}[AQgw]==$'
        SignPartsRequest:
          type: object
          description: Fresh signed URLs for parts of a PENDING or UPLOADING session. Answers `SignPartsResponse`.
          required: [action, sessionId, partNumbers]
          properties:
            action:
              type: string
              enum: [signParts]
            sessionId:
              type: string
            partNumbers:
              type: array
              minItems: 1
              maxItems: 10000
              items:
                type: integer
                minimum: 1
                maximum: 10000
              description: The parts to sign (1-based).
            expiresIn:
              type: integer
              format: int64
              minimum: 1
              maximum: 9223372036854775807
              description: Requested lifetime of the URLs in seconds (capped at 7 days; the server's default otherwise).
        PartUploadedRequest:
          type: object
          description: |
            Confirms a part the storage holds (idempotent). Answers `PartRecorded`. On the disk store the part
            must have arrived through its signed URL (the store recorded it); on S3 the storage must list it
            with this ETag and its planned size. Otherwise `invalidPart` (409).
          required: [action, sessionId, partNumber, etag, size]
          properties:
            action:
              type: string
              enum: [partUploaded]
            sessionId:
              type: string
            partNumber:
              type: integer
              minimum: 1
              maximum: 10000
            etag:
              type: string
              minLength: 1
              description: |
                The ETag storage answered with, quoted or not (the same entity tag, RFC 9110 §8.8.3); a weak one
                (`W/"…"`) is refused (`invalidArgument`).
            size:
              type: integer
              format: int64
              minimum: 0
              description: The part's size in bytes; must equal its planned size.
        PartsUploadedRequest:
          type: object
          description: |
            `partUploaded` for many parts of one session in one call (uploaders that PUT straight to S3 report
            the parts that finished while their previous report was in flight). Answers `PartsRecorded`, the parts
            in the order given. The same rules as `partUploaded` for every entry, all or nothing: a part outside
            the plan, listed twice, of another size than planned, or with an empty or weak ETag is refused
            (`invalidArgument`, 422); on S3 one ListParts (HeadObject for a single PUT) must show every part with
            its ETag and planned size, else `invalidPart` (409); in every refusal no part is recorded. Repeating a
            report that was applied is answered with the parts as recorded.
          required: [action, sessionId, parts]
          properties:
            action:
              type: string
              enum: [partsUploaded]
            sessionId:
              type: string
            parts:
              type: array
              minItems: 1
              maxItems: 10000
              items:
                $ref: '#/components/schemas/ReportedPart'
        ReportedPart:
          type: object
          description: One part of a `partsUploaded` report.
          required: [partNumber, etag, size]
          properties:
            partNumber:
              type: integer
              minimum: 1
              maximum: 10000
            etag:
              type: string
              minLength: 1
              description: The ETag storage answered the part's PUT with, quoted or not (RFC 9110 §8.8.3).
            size:
              type: integer
              format: int64
              minimum: 0
              description: The part's size in bytes; must equal its planned size.
            checksum:
              type: string
              pattern: '^[A-Za-z0-9+/]{5}[AQgw]==$'
              description: |
                The part's CRC-32C in S3's `x-amz-checksum-crc32c` form: base64 of its 4 big-endian bytes. Optional;
                any other shape is refused (`badRequest`, 400). Recorded with the part on S3 (the uploader's reading).
        CompleteRequest:
          type: object
          description: |
            Checks every part is in storage (on S3, with ListParts or HeadObject), finishes the object and starts
            processing. A session that is already UPLOADED, PROCESSING or COMPLETED is returned as it is. Answers
            `SessionResult`. Refused while a part is missing or still arriving (`conflict`), or when the storage
            does not hold a part as recorded (`invalidPart`, the part is reopened); S3's own refusals are
            `invalidPart`, `invalidPartOrder` and `entityTooSmall`. With `checksum` (or one declared at `initiate`),
            the parts' combined CRC-32C must equal it, else 422 `checksumMismatch`, checked before the storage joins
            the parts. The session stays open after any of them.
          required: [action, sessionId]
          properties:
            action:
              type: string
              enum: [complete]
            sessionId:
              type: string
            checksum:
              $ref: '#/components/schemas/ObjectChecksum'
        AbortRequest:
          type: object
          description: The uploader gives up; the bytes are dropped and the session is CANCELLED. Answers `SessionResult`.
          required: [action, sessionId]
          properties:
            action:
              type: string
              enum: [abort]
            sessionId:
              type: string
        RetryRequest:
          type: object
          description: |
            Exactly one of `groupId`, `sessionId` or `jobId`. Failed parts (or the named ones) go back to PENDING,
            failed jobs are queued again, and failed sessions move back to where they can continue.
            Answers `RetryResponse`.
          required: [action]
          oneOf:
            - required: [groupId]
            - required: [sessionId]
            - required: [jobId]
          anyOf:
            - required: [sessionId]
            - not: {required: [partNumbers]}
          properties:
            action:
              type: string
              enum: [retry]
            groupId:
              type: string
            sessionId:
              type: string
            jobId:
              type: string
            partNumbers:
              type: array
              items:
                type: integer
                minimum: 1
                maximum: 10000
              description: Parts of the session to send again (with `sessionId` only).
        CancelRequest:
          type: object
          description: |
            Exactly one of `groupId` or `sessionId`. The group or session stops taking bytes and its storage is
            cleaned. Answers `GroupResult` for a group, `SessionResult` for a session.
          required: [action]
          oneOf:
            - required: [groupId]
            - required: [sessionId]
          not: {required: [jobId]}
          properties:
            action:
              type: string
              enum: [cancel]
            groupId:
              type: string
            sessionId:
              type: string
            reason:
              type: string
              description: Why; recorded as the error message (code `cancelledByOperator`).
        DeleteRequest:
          type: object
          description: Exactly one of `groupId` or `sessionId`. Rows and bytes are removed. Answers `DeleteResponse`.
          required: [action]
          oneOf:
            - required: [groupId]
            - required: [sessionId]
          not: {required: [jobId]}
          properties:
            action:
              type: string
              enum: [delete]
            groupId:
              type: string
            sessionId:
              type: string
        StatusRequest:
          type: object
          description: Exactly one of `groupId` or `sessionId`. Answers `StatusResponse`.
          required: [action]
          oneOf:
            - required: [groupId]
            - required: [sessionId]
          not: {required: [jobId]}
          properties:
            action:
              type: string
              enum: [status]
            groupId:
              type: string
            sessionId:
              type: string
        ControllerResponse:
          description: The answer of `POST /api/v1/controller`; which one depends on the action.
          oneOf:
            - $ref: '#/components/schemas/GroupResult'
            - $ref: '#/components/schemas/InitiateResponse'
            - $ref: '#/components/schemas/InitiateBatchResponse'
            - $ref: '#/components/schemas/SignPartsResponse'
            - $ref: '#/components/schemas/PartRecorded'
            - $ref: '#/components/schemas/PartsRecorded'
            - $ref: '#/components/schemas/SessionResult'
            - $ref: '#/components/schemas/RetryResponse'
            - $ref: '#/components/schemas/DeleteResponse'
            - $ref: '#/components/schemas/StatusResponse'
        GroupResult:
          type: object
          description: '`createGroup`, and `cancel` of a group.'
          additionalProperties: false
          required: [group]
          properties:
            group:
              $ref: '#/components/schemas/UploadGroup'
        SessionResult:
          type: object
          description: '`complete`, `abort`, and `cancel` of a session.'
          additionalProperties: false
          required: [session]
          properties:
            session:
              $ref: '#/components/schemas/UploadSession'
        InitiateResponse:
          type: object
          description: '`initiate`: the new session and how to send its bytes.'
          additionalProperties: false
          required: [session, method, partSize, totalParts]
          properties:
            session:
              $ref: '#/components/schemas/UploadSession'
            method:
              $ref: '#/components/schemas/UploadMethod'
            partSize:
              type: integer
              format: int64
              minimum: 0
            totalParts:
              type: integer
              minimum: 1
            url:
              type: string
              format: uri
              description: For a single upload only; the signed URL to PUT the whole file to.
            expiresAt:
              $ref: '#/components/schemas/Timestamp'
        InitiateBatchResponse:
          type: object
          description: '`initiate` with `files`: one answer per file, in the order of `files`.'
          additionalProperties: false
          required: [sessions]
          properties:
            sessions:
              type: array
              minItems: 1
              maxItems: 1000
              items:
                $ref: '#/components/schemas/InitiateResponse'
        SignedPart:
          type: object
          description: One signed part URL.
          required: [partNumber, url, expiresAt, offset, size]
          properties:
            partNumber:
              type: integer
              minimum: 1
            url:
              type: string
              format: uri
              description: Where to PUT the part.
            expiresAt:
              $ref: '#/components/schemas/Timestamp'
            offset:
              type: integer
              format: int64
              minimum: 0
              description: The part's offset in the file.
            size:
              type: integer
              format: int64
              minimum: 0
              description: The part's size in bytes.
        SignPartsResponse:
          type: object
          description: '`signParts`: the signed URLs, in the order asked.'
          additionalProperties: false
          required: [parts]
          properties:
            parts:
              type: array
              items:
                $ref: '#/components/schemas/SignedPart'
        PartRecorded:
          type: object
          description: '`partUploaded` (and `PUT /storage/...`): the part as recorded.'
          additionalProperties: false
          required: [part]
          properties:
            part:
              $ref: '#/components/schemas/FilePart'
            session:
              description: |
                Only in the answer of a single upload's PUT to the disk store that completed its session: the session
                after it (UPLOADED, PROCESSING or COMPLETED).
              allOf:
                - $ref: '#/components/schemas/UploadSession'
        PartsRecorded:
          type: object
          description: '`partsUploaded`: the parts as recorded, in the order reported.'
          additionalProperties: false
          required: [parts]
          properties:
            parts:
              type: array
              items:
                $ref: '#/components/schemas/FilePart'
        RetryResponse:
          type: object
          description: '`retry`: what was sent back to work.'
          additionalProperties: false
          required: [sessions, parts, jobs]
          properties:
            sessions:
              type: array
              description: Sessions whose status moved.
              items:
                $ref: '#/components/schemas/UploadSession'
            parts:
              type: array
              description: Parts put back to PENDING.
              items:
                $ref: '#/components/schemas/FilePart'
            jobs:
              type: array
              description: Jobs queued again.
              items:
                $ref: '#/components/schemas/ProcessingJob'
        DeleteResponse:
          type: object
          description: '`delete`.'
          additionalProperties: false
          required: [deleted]
          properties:
            deleted:
              type: boolean
              enum: [true]
        SessionDetail:
          type: object
          description: One session with its parts (by number) and jobs (in run order).
          required: [session, parts, jobs]
          properties:
            session:
              $ref: '#/components/schemas/UploadSession'
            parts:
              type: array
              items:
                $ref: '#/components/schemas/FilePart'
            jobs:
              type: array
              items:
                $ref: '#/components/schemas/ProcessingJob'
        StatusResponse:
          type: object
          description: '`status`: a group with its sessions, or one session (with its group).'
          additionalProperties: false
          required: [sessions]
          properties:
            group:
              $ref: '#/components/schemas/UploadGroup'
            sessions:
              type: array
              items:
                $ref: '#/components/schemas/SessionDetail'
    """
}
