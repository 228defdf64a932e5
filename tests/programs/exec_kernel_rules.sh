# execve's finer rules, as the kernel has them: a #! line is read in a
# 256-byte buffer (binfmt_script, Linux 5.0+): a line without newline there
# is cut at byte 255 unless that cuts the interpreter's name (ENOEXEC), a
# line of blanks or without a name is ENOEXEC, trailing blanks are trimmed
# from the argument but a \r is kept, a NUL ends the line; an ELF whose
# PT_INTERP lies past the end of the file is EIO. Each file is executed by
# a program (python's os.execv), natively and under lbw: the same output
# (the interpreter's, or the errno).
. "$TESTS_DIR/lib.sh"
"$PY" - "$T" <<'PY'
import os, struct, sys
d = sys.argv[1]
def write(name, data):
    p = os.path.join(d, name)
    open(p, "wb").write(data)
    os.chmod(p, 0o755)
write("name-cut", b"#!/" + b"a" * 300 + b"\n")
write("name-long", b"#!/nonexistent/" + b"b" * 200 + b"\n")
write("blanks", b"#!" + b" \t" * 150)
write("no-name", b"#!  \t \nrest\n")
write("arg-cr", b"#!/bin/echo arg\r\n")
write("arg-trimmed", b"#!/bin/echo  a b  \t \n")
write("arg-cut", b"#!/bin/echo " + b"y" * 300)
write("arg-nul", b"#!/bin/echo x\0y\n")
write("short-no-newline", b"#!/bin/echo z")
ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
eh = ident + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x401000, 64, 0, 0, 64, 56, 2, 64, 0, 0)
load = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 0x2000, 0x2000, 0x1000)
interp = struct.pack("<IIQQQQQQ", 3, 4, 0x10000, 0, 0, 20, 20, 1)
elf = bytearray(0x2000)
elf[0:64 + 112] = eh + load + interp
write("interp-past-eof", bytes(elf))
PY
cat >"$T/ex.py" <<'P'
import os, sys
try:
    os.execv(sys.argv[1], [sys.argv[1]])
except OSError as e:
    print("errno", e.errno)
P
for f in name-cut name-long blanks no-name arg-cr arg-trimmed arg-cut arg-nul short-no-newline \
    interp-past-eof; do
    same "$f" "$PY" "$T/ex.py" "$T/$f"
done
finish
