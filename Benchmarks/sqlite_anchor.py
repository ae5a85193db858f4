"""The SQLite anchor of the write benchmarks: Python's sqlite3 writing the rows a createGroup
writes (a group row and an event row), one transaction each, in WAL mode with synchronous=NORMAL
as upman does. Usage: sqlite_anchor.py DB SECONDS; prints transactions per second."""
import sqlite3, sys, time, json
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=NORMAL")
db.execute("CREATE TABLE groups (id TEXT PRIMARY KEY, user_id TEXT, name TEXT, status TEXT, created_at TEXT, updated_at TEXT)")
db.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT, entity_id TEXT, group_id TEXT, user_id TEXT, data TEXT, created_at TEXT)")
end = time.monotonic() + float(sys.argv[2]); n = 0
while time.monotonic() < end:
    n += 1
    gid = f"grp_{n:020d}"; now = "2026-11-30T00:00:00.000Z"
    data = json.dumps({"id": gid, "userId": "admin", "name": f"bench-{n}", "status": "PENDING"})
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO groups VALUES (?,?,?,?,?,?)", (gid, "admin", f"bench-{n}", "PENDING", now, now))
    db.execute("INSERT INTO events (kind, entity_id, group_id, user_id, data, created_at) VALUES (?,?,?,?,?,?)",
               ("group", gid, gid, "admin", data, now))
    db.execute("COMMIT")
print(f"{n / float(sys.argv[2]):.0f}")
