"""tuspy (PyPI `tuspy`, import `tusclient`) as the benchmark's tus client: one process, the library's own
upload loop. Prints the seconds the uploads took.

    python3 tus_client.py big FILE URL TOKEN      # one file in PATCHes of 64 MiB
    python3 tus_client.py many FOLDER URL TOKEN   # every file of FOLDER, one after another, as group "tus-many"
"""
import os
import sys
import time

from tusclient import client


def main():
    mode, path, url, token = sys.argv[1:5]
    tus = client.TusClient(url, headers={"Authorization": "Bearer " + token})
    started = time.monotonic()
    if mode == "big":
        tus.uploader(path, chunk_size=64 << 20, metadata={"filename": os.path.basename(path)}).upload()
    else:
        for name in sorted(os.listdir(path)):
            tus.uploader(os.path.join(path, name), chunk_size=64 << 20,
                         metadata={"filename": name, "group": "tus-many"}).upload()
    print(f"{time.monotonic() - started:.3f}")


if __name__ == "__main__":
    main()
