// upman-client.js: the browser client of an upman server's session controller.
//
// An ES module without a framework or build step, served by `upman serve` at /upman-client.js.
//
//   import { createUploader } from "/upman-client.js";
//   const uploader = createUploader({ server: "http://127.0.0.1:8080", token });
//   const group = uploader.upload(fileList, { group: "holiday photos" });
//   group.addEventListener("progress", (e) => console.log(e.detail.loaded, e.detail.total));
//   group.addEventListener("state", (e) => console.log(e.detail.file.name, e.detail.state));
//   await group.done;
//
// Files under the server's multipart threshold go up in one PUT; larger ones in parts, `concurrency`
// parts in flight across the whole group (default 4). What is in flight is remembered in IndexedDB
// (session ids and a fingerprint of name, size and lastModified), so after a reload `resume(files)`
// sends only the parts the server does not hold.

const DEFAULT_CONCURRENCY = 4;
const PART_ATTEMPTS = 4;
const FINAL = new Set(["COMPLETED", "FAILED", "EXPIRED", "CANCELLED"]);

/** Creates an uploader for `server` (an origin; default: the page's) acting with `token`. */
export function createUploader({ server, token, concurrency = DEFAULT_CONCURRENCY, memory } = {}) {
  return new Uploader({
    server: (server ?? globalThis.location?.origin ?? "").replace(/\/$/, ""),
    token,
    concurrency: Math.max(1, concurrency | 0),
    memory: memory ?? new UploadMemory(),
  });
}

/** The fingerprint of a local file: what makes the same file picked again recognisable. */
export function fingerprintOf(file) {
  // The server takes fingerprints of up to 256 bytes: a long name is stood for by a hash of it.
  const encoded = encodeURIComponent(file.name);
  const name = encoded.length <= 160 ? `name=${encoded}` : `namehash=${hashOfName(file.name)};length=${file.name.length}`;
  return `${name};size=${file.size};mtime=${file.lastModified}`;
}

/** Two FNV-1a hashes (32 bits each, different offsets) of a name's UTF-16 units, as 16 hex digits. */
function hashOfName(name) {
  let a = 0x811c9dc5, b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < name.length; i += 1) {
    const unit = name.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193) >>> 0;
    b = Math.imul(b ^ unit, 0x01000193) >>> 0;
    b = (b ^ (b >>> 15)) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

/** CRC-32C (Castagnoli, reflected 0x82F63B78) lookup table, made on first use. */
let crc32cTable = null;

/** The CRC-32C of `bytes` (a Uint8Array) as upman and S3 spell it: base64 of its 4 big-endian bytes. */
export function crc32cBase64(bytes) {
  if (!crc32cTable) {
    crc32cTable = new Uint32Array(256);
    for (let n = 0; n < 256; n += 1) {
      let c = n;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      crc32cTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i += 1) crc = crc32cTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  crc = (crc ^ 0xffffffff) >>> 0;
  return btoa(String.fromCharCode(crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff));
}

/** Held parts whose CRC-32C is checked against the file before a resume: all of them up to this
 * many bytes, else a spread of `RESUME_SAMPLE` parts. */
const RESUME_CHECK_BYTES = 512 * 1024 * 1024;
const RESUME_SAMPLE = 8;

/** An error the server answered: `code` is upman's error code, `status` the HTTP status. */
export class UpmanError extends Error {
  constructor(code, message, status) {
    super(message);
    this.name = "UpmanError";
    this.code = code;
    this.status = status;
  }
}

/** Talks to one server with one token; starts, resumes, cancels and watches uploads. */
export class Uploader extends EventTarget {
  constructor({ server, token, concurrency, memory }) {
    super();
    this.server = server;
    this.token = token;
    this.concurrency = concurrency;
    this.memory = memory;
    this.uploads = new Map(); // session id -> FileUpload
    this.feed = null;
  }

  /** Calls a controller action and answers its JSON, or throws an UpmanError. */
  async call(action, fields = {}) {
    const response = await fetch(`${this.server}/api/v1/controller`, {
      method: "POST",
      headers: { "Authorization": `Bearer ${this.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ action, ...fields }),
    });
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch { body = null; }
    if (!response.ok) {
      const error = body?.error ?? {};
      throw new UpmanError(error.code ?? "httpError", error.message ?? `HTTP ${response.status}`, response.status);
    }
    return body;
  }

  /** Uploads `files` (a FileList or array of File) as one group named `group`. */
  upload(files, { group } = {}) {
    const list = Array.from(files);
    const upload = new GroupUpload(this, list, group ?? defaultGroupName(list));
    upload.start();
    return upload;
  }

  /**
   * Picks up `files` where an earlier page left them: files remembered in IndexedDB continue their
   * sessions (only missing parts are sent); the others start in a new group.
   */
  resume(files, { group } = {}) {
    return this.upload(files, { group, resume: true });
  }

  /** The uploads this browser remembers as unfinished: [{fingerprint, fileName, size, groupName, ...}]. */
  pending() {
    return this.memory.all();
  }

  /** Forgets every remembered upload. */
  forget() {
    return this.memory.clear();
  }

  /** Cancels a FileUpload or a GroupUpload: stops its transfers and tells the server. */
  async cancel(target) {
    await target.cancel();
  }

  /**
   * Follows the server's live feed (SSE) with a short-lived events token, so operator actions and
   * processing jobs show up on the uploads: dispatches "event" for every event it sees.
   */
  async watch() {
    if (this.feed) return;
    this.feed = { source: null, lastEventId: null, stopped: false };
    let first = true;
    const connect = async () => {
      if (!this.feed || this.feed.stopped) return;
      let token;
      try {
        token = (await this.call("eventsToken")).token;
      } catch (error) {
        // A token the server refuses (unknown, expired) stays refused: stop, and say so the first time.
        if (error instanceof UpmanError && (error.status === 401 || error.status === 403)) {
          this.unwatch();
          if (first) throw error;
          return;
        }
        first = false;
        setTimeout(() => connect().catch(() => {}), 2000);
        return;
      }
      first = false;
      const query = new URLSearchParams({ access_token: token });
      if (this.feed.lastEventId) query.set("lastEventId", this.feed.lastEventId);
      const source = new EventSource(`${this.server}/api/v1/events?${query}`);
      this.feed.source = source;
      const handle = (message) => {
        if (message.lastEventId) this.feed.lastEventId = message.lastEventId;
        let event;
        try { event = JSON.parse(message.data); } catch { return; }
        this.route(message.type, event);
      };
      for (const type of ["group", "session", "part", "job", "reset"]) source.addEventListener(type, handle);
      source.onerror = () => {
        // The events token is short-lived: reconnect with a new one from where the feed stopped.
        source.close();
        if (this.feed && !this.feed.stopped) setTimeout(() => connect().catch(() => {}), 1000);
      };
    };
    await connect();
  }

  /** Stops following the feed. */
  unwatch() {
    if (!this.feed) return;
    this.feed.stopped = true;
    this.feed.source?.close();
    this.feed = null;
  }

  /** Hands a feed event (`event:` is the entity kind, `data:` the entity as JSON) to its upload. */
  route(type, entity) {
    this.dispatchEvent(new CustomEvent("event", { detail: { type, entity } }));
    if (type === "session") this.uploads.get(entity.id)?.serverSays(entity);
    else if (type === "job") this.uploads.get(entity.sessionId)?.jobSays(entity);
  }
}

/** A group of files uploaded together: events "progress", "state" and "done". */
export class GroupUpload extends EventTarget {
  constructor(uploader, files, name) {
    super();
    this.uploader = uploader;
    this.name = name;
    this.groupId = null;
    this.files = files.map((file) => new FileUpload(this, file));
    this.limiter = new Limiter(uploader.concurrency);
    this.reported = 0;
    this.meter = new RateMeter();
    this.done = new Promise((resolve) => { this.finish = resolve; });
  }

  /** Bytes of the whole group. */
  get total() { return this.files.reduce((sum, f) => sum + f.file.size, 0); }

  async start() {
    const resume = [];
    const fresh = [];
    for (const upload of this.files) {
      const remembered = await this.uploader.memory.get(upload.fingerprint).catch(() => null);
      (remembered ? resume : fresh).push([upload, remembered]);
    }
    try {
      for (const [upload, remembered] of resume) upload.adopt(remembered);
      if (fresh.length > 0) {
        const group = await this.uploader.call("createGroup", {
          name: this.name, expectedFiles: fresh.length, expectedBytes: fresh.reduce((s, [u]) => s + u.file.size, 0),
        });
        this.groupId = group.group.id;
        for (let i = 0; i < fresh.length; i += 1000) {
          const batch = fresh.slice(i, i + 1000);
          const answer = await this.uploader.call("initiate", {
            groupId: this.groupId,
            files: batch.map(([u]) => ({
              fileName: u.file.name, size: u.file.size, fingerprint: u.fingerprint,
              ...(u.file.type ? { contentType: u.file.type } : {}),
            })),
          });
          answer.sessions.forEach((initiated, j) => batch[j][0].initiated(initiated));
        }
      } else {
        this.groupId = resume[0]?.[1]?.groupId ?? null;
      }
    } catch (error) {
      for (const upload of this.files) if (upload.state === "queued") upload.fail(error);
    }
    await Promise.all(this.files.map((upload) => upload.run()));
    this.finish(this.files.map((u) => ({ name: u.file.name, state: u.state, sessionId: u.sessionId })));
    this.dispatchEvent(new CustomEvent("done", { detail: { group: this } }));
  }

  /** Cancels every file of the group, and the group on the server. */
  async cancel() {
    for (const upload of this.files) upload.stop("CANCELLED");
    if (this.groupId) await this.uploader.call("cancel", { groupId: this.groupId }).catch(() => {});
  }

  /** Re-sends what failed in the group. */
  async retry() {
    await Promise.all(this.files.filter((u) => u.state === "FAILED").map((u) => u.retry()));
  }

  progressed() {
    const loaded = this.files.reduce((sum, f) => sum + f.reported, 0);
    this.reported = Math.min(this.total, Math.max(this.reported, loaded));
    this.meter.add(this.reported);
    const speed = this.meter.speed();
    const left = this.total - this.reported;
    this.dispatchEvent(new CustomEvent("progress", {
      detail: { loaded: this.reported, total: this.total, speed, eta: speed > 0 ? left / speed : null },
    }));
  }

  stateChanged(upload) {
    this.dispatchEvent(new CustomEvent("state", { detail: { file: upload.file, upload, state: upload.state } }));
  }
}

/** One file's upload: its session, parts and state; `reported` never goes backwards. */
export class FileUpload {
  constructor(group, file) {
    this.group = group;
    this.file = file;
    this.fingerprint = fingerprintOf(file);
    this.state = "queued";
    this.sessionId = null;
    this.plan = null;
    this.confirmed = 0;
    this.inFlight = new Map(); // part number -> bytes sent so far
    this.requests = new Set();
    this.reported = 0;
    this.error = null;
    this.jobs = new Map();
    this.meter = new RateMeter();
    this.skipped = 0; // parts the server already held (resume)
    this.partsDone = 0; // parts the server holds: skipped ones and those sent
  }

  get uploader() { return this.group.uploader; }

  initiated(initiated) {
    this.sessionId = initiated.session.id;
    this.plan = { method: initiated.method, partSize: initiated.partSize, totalParts: initiated.totalParts, url: initiated.url ?? null };
    this.uploader.uploads.set(this.sessionId, this);
    this.uploader.memory.put({
      fingerprint: this.fingerprint, sessionId: this.sessionId, groupId: this.group.groupId, groupName: this.group.name,
      fileName: this.file.name, size: this.file.size, lastModified: this.file.lastModified, savedAt: Date.now(),
    }).catch(() => {});
  }

  adopt(remembered) {
    this.sessionId = remembered.sessionId;
    this.uploader.uploads.set(this.sessionId, this);
  }

  /** Sends what the server lacks, then completes the session. */
  async run() {
    if (!this.sessionId || this.state === "CANCELLED" || this.state === "FAILED") return;
    this.setState("uploading");
    try {
      const detail = await this.uploader.call("status", { sessionId: this.sessionId });
      const current = detail.sessions?.[0] ?? detail;
      const session = current.session;
      if (FINAL.has(session.status) || session.status === "PROCESSING") {
        if (session.status === "EXPIRED" || session.status === "CANCELLED") await this.uploader.memory.delete(this.fingerprint);
        this.confirmed = session.status === "COMPLETED" || session.status === "PROCESSING" ? this.file.size : this.confirmed;
        this.progress();
        this.serverSays(session);
        return;
      }
      this.plan ??= { method: session.method, partSize: session.partSize, totalParts: session.totalParts, url: null };
      const uploaded = (current.parts ?? []).filter((p) => p.status === "UPLOADED");
      if (!(await this.holdsThisFile(uploaded))) {
        // The same name, size and time, other bytes: the remembered upload is not of this file.
        await this.startOver();
        return this.run();
      }
      const held = new Set(uploaded.map((p) => p.partNumber));
      const missing = [];
      for (let n = 1; n <= this.plan.totalParts; n += 1) if (!held.has(n)) missing.push(n);
      this.skipped = held.size;
      this.partsDone = held.size;
      this.confirmed = [...held].reduce((sum, n) => sum + this.partLength(n), 0);
      this.progress();
      await this.sendParts(missing);
      if (this.state !== "uploading") return;
      const completed = await this.uploader.call("complete", { sessionId: this.sessionId });
      this.serverSays(completed.session);
    } catch (error) {
      if (this.state !== "CANCELLED") this.fail(error);
    }
  }

  /** Whether the parts the server holds (with their CRC-32C) are this file's bytes: checked on a
   * resume, as a file can be replaced by another of the same name, size and time. */
  async holdsThisFile(uploaded) {
    const known = uploaded.filter((p) => typeof p.checksum === "string");
    const bytes = known.reduce((sum, p) => sum + this.partLength(p.partNumber), 0);
    const step = bytes <= RESUME_CHECK_BYTES ? 1 : Math.max(1, Math.floor(known.length / RESUME_SAMPLE));
    for (let i = 0; i < known.length; i += step) {
      const part = known[i];
      const start = (part.partNumber - 1) * this.plan.partSize;
      const local = new Uint8Array(await this.file.slice(start, start + this.partLength(part.partNumber)).arrayBuffer());
      if (crc32cBase64(local) !== part.checksum) return false;
    }
    return true;
  }

  /** Leaves a remembered upload that turned out to be of other bytes and starts this file as a new
   * upload in the same group (made first, so the group stays open), then aborts the old one on the
   * server, so its parts are not kept. */
  async startOver() {
    const old = this.sessionId;
    // Let go of the old session first: the feed's news of its abort is not about this file.
    this.uploader.uploads.delete(old);
    this.sessionId = null;
    this.replaced = (this.replaced ?? 0) + 1;
    if (this.replaced > 1) throw new UpmanError("conflict", "the file changed while it was being resumed", 409);
    await this.uploader.memory.delete(this.fingerprint).catch(() => {});
    this.plan = null;
    const answer = await this.uploader.call("initiate", {
      // Not the old upload's fingerprint, which would answer with that upload again.
      groupId: this.group.groupId, fileName: this.file.name, size: this.file.size, fingerprint: `${this.fingerprint};replaces=${old}`,
      ...(this.file.type ? { contentType: this.file.type } : {}),
    });
    this.initiated(answer);
    this.restarted = true;
    await this.uploader.call("abort", { sessionId: old }).catch(() => {});
  }

  partLength(number) {
    const start = (number - 1) * this.plan.partSize;
    return Math.max(0, Math.min(this.plan.partSize, this.file.size - start));
  }

  async sendParts(numbers) {
    if (numbers.length === 0) return;
    let urls = new Map();
    if (this.plan.method === "single" && this.plan.url && numbers.length === 1 && numbers[0] === 1) {
      urls.set(1, this.plan.url);
    } else {
      for (let i = 0; i < numbers.length; i += 500) {
        const signed = await this.uploader.call("signParts", { sessionId: this.sessionId, partNumbers: numbers.slice(i, i + 500) });
        for (const part of signed.parts) urls.set(part.partNumber, part.url);
      }
    }
    await Promise.all(numbers.map((number) => this.group.limiter.run(() => this.sendPart(number, urls.get(number)))));
  }

  async sendPart(number, url) {
    let lastError;
    for (let attempt = 1; attempt <= PART_ATTEMPTS; attempt += 1) {
      if (this.state !== "uploading") return;
      try {
        const start = (number - 1) * this.plan.partSize;
        const body = this.file.slice(start, start + this.partLength(number));
        const { etag, answer } = await this.put(url, body, number);
        if (answer?.session) this.serverSays(answer.session);
        if (etag && !(answer?.part?.status === "UPLOADED")) {
          await this.uploader.call("partUploaded", { sessionId: this.sessionId, partNumber: number, etag, size: body.size });
        }
        this.inFlight.delete(number);
        this.confirmed += body.size;
        this.partsDone += 1;
        this.progress();
        return;
      } catch (error) {
        this.inFlight.delete(number);
        lastError = error;
        if (error instanceof UpmanError && error.status < 500 && error.status !== 408 && error.status !== 429) break;
        await sleep(500 * 2 ** (attempt - 1));
      }
    }
    throw lastError;
  }

  put(url, body, number) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      this.requests.add(request);
      request.open("PUT", url);
      request.upload.onprogress = (event) => {
        this.inFlight.set(number, event.loaded);
        this.progress();
      };
      request.onload = () => {
        this.requests.delete(request);
        let answer = null;
        try { answer = request.responseText ? JSON.parse(request.responseText) : null; } catch { answer = null; }
        if (request.status >= 200 && request.status < 300) {
          resolve({ etag: (request.getResponseHeader("ETag") ?? "").replaceAll('"', ""), answer });
        } else {
          const error = answer?.error ?? {};
          reject(new UpmanError(error.code ?? "httpError", error.message ?? `PUT answered ${request.status}`, request.status));
        }
      };
      request.onerror = () => { this.requests.delete(request); reject(new UpmanError("network", "the connection failed", 0)); };
      request.onabort = () => { this.requests.delete(request); reject(new UpmanError("aborted", "cancelled", 0)); };
      request.send(body);
    });
  }

  progress() {
    let sending = 0;
    for (const bytes of this.inFlight.values()) sending += bytes;
    this.reported = Math.min(this.file.size, Math.max(this.reported, this.confirmed + sending));
    this.meter.add(this.reported);
    this.group.progressed();
    this.group.stateChanged(this);
  }

  /** Speed in bytes per second over the last seconds. */
  get speed() { return this.meter.speed(); }

  /** Seconds left at the current speed, or null. */
  get eta() {
    const speed = this.speed;
    return speed > 0 ? (this.file.size - this.reported) / speed : null;
  }

  /** The server's view of the session (from an answer or the live feed). */
  serverSays(session) {
    if (!session || session.id !== this.sessionId) return;
    this.server = session;
    const status = session.status;
    if (status === "COMPLETED" || status === "PROCESSING" || status === "UPLOADED") {
      this.confirmed = this.file.size;
      this.reported = this.file.size;
    }
    if (status === "COMPLETED") {
      this.error = null; // what failed on the way (a complete another tab had sent first) no longer holds
      this.uploader.memory.delete(this.fingerprint).catch(() => {});
      this.setState("COMPLETED");
    } else if (status === "PROCESSING" || status === "UPLOADED") {
      this.setState("PROCESSING");
    } else if (status === "CANCELLED") {
      // Cancelled elsewhere (an operator, another tab): the server's reason says who and why.
      if (this.state !== "CANCELLED" && session.error) this.error = session.error;
      this.stop("CANCELLED");
    } else if (status === "FAILED" || status === "EXPIRED") {
      this.error = session.error ?? { code: status.toLowerCase(), message: status };
      this.stop(status);
    } else if (this.state !== "uploading" && (status === "PENDING" || status === "IN_PROGRESS" || status === "STALLED")) {
      // An operator's retry moved the session back: follow it.
      if (this.state === "FAILED") this.retry();
    }
    this.group.stateChanged(this);
  }

  /** A processing job's state from the live feed. */
  jobSays(job) {
    this.jobs.set(job.id, job);
    this.group.stateChanged(this);
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.group.stateChanged(this);
  }

  fail(error) {
    this.error = { code: error.code ?? "error", message: error.message ?? String(error) };
    this.stop("FAILED");
  }

  /** Stops the transfers under way and settles in `state`. */
  stop(state) {
    for (const request of this.requests) request.abort();
    this.requests.clear();
    this.inFlight.clear();
    this.setState(state);
  }

  /** Cancels this file: stops its transfers and cancels its session on the server. */
  async cancel() {
    this.stop("CANCELLED");
    if (this.sessionId) await this.uploader.call("cancel", { sessionId: this.sessionId }).catch(() => {});
    this.uploader.memory.delete(this.fingerprint).catch(() => {});
  }

  /** Sends again what failed: asks the server to retry the session, then uploads what is missing. */
  async retry() {
    if (!this.sessionId) return;
    this.error = null;
    try {
      await this.uploader.call("retry", { sessionId: this.sessionId });
    } catch (error) {
      if (!(error instanceof UpmanError) || error.status >= 500) return this.fail(error);
    }
    this.state = "queued";
    await this.run();
  }
}

/** Runs at most `limit` tasks at once, in the order they were asked for. */
class Limiter {
  constructor(limit) { this.limit = limit; this.running = 0; this.waiting = []; }
  async run(task) {
    if (this.running >= this.limit) await new Promise((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try { return await task(); } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}

/** Bytes per second over the last five seconds of samples. */
class RateMeter {
  constructor() { this.samples = []; }
  add(bytes) {
    const now = performance.now();
    this.samples.push([now, bytes]);
    while (this.samples.length > 2 && now - this.samples[0][0] > 5000) this.samples.shift();
  }
  speed() {
    if (this.samples.length < 2) return 0;
    const [t0, b0] = this.samples[0];
    const [t1, b1] = this.samples[this.samples.length - 1];
    return t1 > t0 ? ((b1 - b0) * 1000) / (t1 - t0) : 0;
  }
}

/** What this browser remembers of unfinished uploads, in IndexedDB (one record per fingerprint). */
export class UploadMemory {
  constructor(name = "upman-uploads") { this.name = name; this.opened = null; }

  open() {
    this.opened ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(this.name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore("uploads", { keyPath: "fingerprint" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return this.opened;
  }

  async run(mode, work) {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction("uploads", mode);
      const request = work(transaction.objectStore("uploads"));
      transaction.oncomplete = () => resolve(request?.result);
      transaction.onerror = () => reject(transaction.error);
    });
  }

  get(fingerprint) { return this.run("readonly", (store) => store.get(fingerprint)); }
  all() { return this.run("readonly", (store) => store.getAll()); }
  put(record) { return this.run("readwrite", (store) => store.put(record)); }
  delete(fingerprint) { return this.run("readwrite", (store) => store.delete(fingerprint)); }
  clear() { return this.run("readwrite", (store) => store.clear()); }
}

function defaultGroupName(files) {
  const folder = files[0]?.webkitRelativePath?.split("/")[0];
  if (folder) return folder;
  return files.length === 1 ? files[0].name : `${files.length} files`;
}

function sleep(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }
