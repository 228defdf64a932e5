# python3 -c: file and JSON work, subprocess (fork/exec or vfork/spawn).
. "$TESTS_DIR/lib.sh"
cd "$T" || exit 1
same "python3 json round trip" "$PY" -c '
import json, os, sys
data = {"name": "lbw", "list": [1, 2.5, None, True], "nested": {"k": "v" * 10}, "n": 2 ** 40}
path = "data.json"
with open(path, "w") as f:
    json.dump(data, f, sort_keys=True, indent=1)
with open(path) as f:
    back = json.load(f)
print(back == data, os.path.getsize(path))
print(json.dumps(back, sort_keys=True))
os.unlink(path)
'
same "python3 files and dirs" "$PY" -c '
import os, tempfile, hashlib
d = tempfile.mkdtemp(dir=".")
for i in range(20):
    with open(os.path.join(d, "f%02d" % i), "wb") as f:
        f.write(bytes(range(256)) * (i + 1))
names = sorted(os.listdir(d))
h = hashlib.sha256()
for n in names:
    with open(os.path.join(d, n), "rb") as f:
        h.update(f.read())
print(len(names), h.hexdigest())
for n in names:
    os.unlink(os.path.join(d, n))
os.rmdir(d)
print(os.path.exists(d))
'
same "python3 subprocess" "$PY" -c '
import subprocess, sys
r = subprocess.run(["sh", "-c", "echo from-child; exit 4"], capture_output=True, text=True)
print(repr(r.stdout), r.returncode)
print(subprocess.check_output(["echo", "hi"]).decode().strip())
'
same "python3 os.fork and waitpid" "$PY" -c '
import os
pid = os.fork()
if pid == 0:
    os._exit(9)
_, st = os.waitpid(pid, 0)
print(os.WEXITSTATUS(st))
'
same "python3 exception exit status" "$PY" -c 'raise SystemExit("bye")'
finish
