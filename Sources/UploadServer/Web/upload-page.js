// The uploader page of `upman serve` (GET /): the dropzone and the uploads, over upman-client.js.
import { createUploader } from "/upman-client.js";

const $ = (id) => document.getElementById(id);
const fragment = new URLSearchParams(location.hash.slice(1));
let token = fragment.get("token") ?? sessionStorage.getItem("upman-token");
// An upload link bound to a group names it: every upload goes there. A new link in the tab brings
// its own group, or none.
const linkGroup = (fragment.has("token") ? fragment.get("group") : sessionStorage.getItem("upman-group")) ?? undefined;
if (fragment.has("token")) {
  if (fragment.has("group")) sessionStorage.setItem("upman-group", fragment.get("group"));
  else sessionStorage.removeItem("upman-group");
  // Keep the token out of the address bar (and out of screenshots and history) once read.
  sessionStorage.setItem("upman-token", token);
  history.replaceState(null, "", location.pathname);
}
let uploader = null;

function start() {
  uploader = createUploader({ server: location.origin, token });
  uploader.watch().catch((error) => {
    if (error?.status !== 401 && error?.status !== 403) return;
    // The token is refused (unknown or expired): ask for another instead of failing every file.
    uploader = null;
    sessionStorage.removeItem("upman-token");
    $("token-form").hidden = false;
    $("announce").textContent = `The upload token was refused (${error.message}). Enter another, or open a new upload link.`;
  });
  offerResume();
}

if (token) start(); else { $("token-form").hidden = false; }
if (linkGroup) {
  $("link-note").textContent = `Uploads go into the group “${linkGroup}”.`;
  $("link-note").hidden = false;
}

/** Without a token nothing can be sent: say so, and take the user to the token field. */
function needToken() {
  $("announce").textContent = "Enter an upload token first (from an upload link or upman token create).";
  $("token").focus();
}
$("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  token = $("token").value.trim();
  sessionStorage.setItem("upman-token", token);
  $("token-form").hidden = true;
  start();
});

async function offerResume() {
  const pending = await uploader.pending().catch(() => []);
  $("resume").hidden = pending.length === 0;
  if (pending.length === 0) return;
  const names = pending.slice(0, 5).map((p) => p.fileName).join(", ");
  $("resume-text").textContent = `${pending.length} file(s) did not finish in an earlier visit: ${names}${pending.length > 5 ? ", …" : ""}. ` +
    "Pick the same files again and only the missing parts are sent.";
}
$("resume-input").addEventListener("change", (event) => {
  const files = [...event.target.files];
  event.target.value = "";
  if (files.length) { $("resume").hidden = true; show(uploader.resume(files, { group: linkGroup })); }
});
$("resume-forget").addEventListener("click", async () => { await uploader.forget(); $("resume").hidden = true; });

for (const id of ["files", "folder"]) {
  $(id).addEventListener("change", (event) => {
    const files = [...event.target.files];
    event.target.value = "";
    if (files.length && !uploader) needToken();
    else if (files.length) show(uploader.upload(files, { group: linkGroup }));
  });
}

const drop = $("drop");
drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", async (event) => {
  event.preventDefault();
  drop.classList.remove("over");
  if (!uploader) { needToken(); return; }
  const entries = [...event.dataTransfer.items].map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
  const files = entries.length ? (await Promise.all(entries.map(walk))).flat() : [...event.dataTransfer.files];
  const folder = entries.length === 1 && entries[0].isDirectory ? entries[0].name : undefined;
  if (files.length) show(uploader.upload(files, { group: linkGroup ?? folder }));
});

/** The files under a dropped entry, folders walked (readEntries answers in batches). */
async function walk(entry) {
  if (entry.isFile) return [await new Promise((resolve, reject) => entry.file(resolve, reject))];
  const reader = entry.createReader();
  const all = [];
  for (;;) {
    const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    all.push(...batch);
  }
  return (await Promise.all(all.map(walk))).flat();
}

function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i += 1; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}
function duration(s) {
  if (s == null || !isFinite(s)) return "";
  if (s < 60) return `${Math.ceil(s)} s left`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s left`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min left`;
}
function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Draws a group's card and keeps it current from its events. */
function show(group) {
  const bar = el("progress", { max: group.total || 1, value: 0 });
  bar.setAttribute("aria-label", `${group.name}: group progress`);
  const meta = el("div", { className: "meta" });
  const cancel = el("button", { type: "button", textContent: "Cancel all" });
  const retry = el("button", { type: "button", textContent: "Retry failed", hidden: true });
  const card = el("article", { className: "group" },
    el("header", {}, el("h2", { textContent: group.name }), el("div", { className: "actions" }, retry, cancel)), bar, meta);
  cancel.addEventListener("click", () => uploader.cancel(group));
  retry.addEventListener("click", () => group.retry());
  const rows = new Map();
  for (const upload of group.files) {
    const fileBar = el("progress", { max: upload.file.size || 1, value: 0 });
    fileBar.setAttribute("aria-label", `${upload.file.name}: progress`);
    const state = el("span", { className: "state", textContent: "queued" });
    const info = el("div", { className: "meta" });
    const error = el("div", { className: "error", hidden: true });
    const jobs = el("div", { className: "jobs" });
    const fileCancel = el("button", { type: "button", textContent: "Cancel" });
    fileCancel.setAttribute("aria-label", `Cancel ${upload.file.name}`);
    const fileRetry = el("button", { type: "button", textContent: "Retry", hidden: true });
    fileRetry.setAttribute("aria-label", `Retry ${upload.file.name}`);
    fileCancel.addEventListener("click", () => uploader.cancel(upload));
    fileRetry.addEventListener("click", () => upload.retry());
    const row = el("div", { className: "file" },
      el("div", { className: "row" }, el("span", { className: "name", textContent: upload.file.webkitRelativePath || upload.file.name }),
        state, el("span", { className: "actions" }, fileRetry, fileCancel)),
      fileBar, info, error, jobs);
    row.dataset.file = upload.file.name;
    rows.set(upload, { fileBar, state, info, error, jobs, fileCancel, fileRetry, row });
    card.append(row);
  }
  $("groups").prepend(card);
  $("announce").textContent = `Uploading ${group.files.length} file(s) as “${group.name}”.`;

  const paint = (upload) => {
    const r = rows.get(upload);
    if (!r) return;
    r.fileBar.value = upload.file.size ? upload.reported : (["COMPLETED", "PROCESSING"].includes(upload.state) ? 1 : 0);
    const label = upload.state === "uploading" ? "uploading" : upload.state;
    r.state.textContent = label;
    r.state.className = `state ${upload.state}`;
    r.row.dataset.state = upload.state;
    const moving = upload.state === "uploading";
    const parts = upload.plan && upload.plan.totalParts > 1 ? ` · ${upload.partsDone}/${upload.plan.totalParts} parts` : "";
    r.row.dataset.parts = String(upload.partsDone);
    r.info.textContent = `${bytes(upload.reported)} of ${bytes(upload.file.size)}${parts}` +
      (moving && upload.speed > 0 ? ` · ${bytes(upload.speed)}/s · ${duration(upload.eta)}` : "") +
      (upload.skipped ? ` · ${upload.skipped} part(s) already on the server` : "") +
      (upload.restarted ? " · the parts on the server were of another file: sent again whole" : "");
    r.error.hidden = !upload.error;
    r.error.textContent = upload.error ? `${upload.error.code}: ${upload.error.message}` : "";
    r.jobs.textContent = [...upload.jobs.values()].map((j) => `${j.kind}: ${j.status}${j.output && j.status === "SUCCEEDED" ? ` (${j.output.slice(0, 80)})` : ""}`).join(" · ");
    const final = ["COMPLETED", "CANCELLED", "FAILED", "EXPIRED"].includes(upload.state);
    r.fileCancel.hidden = final;
    r.fileRetry.hidden = upload.state !== "FAILED";
    retry.hidden = !group.files.some((u) => u.state === "FAILED");
    cancel.hidden = group.files.every((u) => ["COMPLETED", "CANCELLED", "FAILED", "EXPIRED"].includes(u.state));
  };
  // Speed and time left only while a file of the group is still on its way: after a cancel or a
  // failure no progress event comes to take them away.
  let progress = { loaded: 0, total: group.total, speed: 0, eta: null };
  const paintGroup = () => {
    const { loaded, total, speed, eta } = progress;
    const moving = group.files.some((u) => u.state === "uploading" || u.state === "queued");
    bar.value = total ? loaded : 1;
    meta.textContent = `${bytes(loaded)} of ${bytes(total)}` + (moving && speed > 0 && loaded < total ? ` · ${bytes(speed)}/s · ${duration(eta)}` : "");
  };
  group.addEventListener("state", (event) => { paint(event.detail.upload); paintGroup(); });
  group.addEventListener("progress", (event) => { progress = event.detail; paintGroup(); });
  group.addEventListener("done", () => {
    const done = group.files.filter((u) => u.state === "COMPLETED" || u.state === "PROCESSING").length;
    $("announce").textContent = `“${group.name}”: ${done} of ${group.files.length} file(s) uploaded.`;
  });
  group.files.forEach(paint);
  paintGroup();
}
