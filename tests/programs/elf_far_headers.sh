# ELF headers where lbw does not read them at first: program headers and
# a PT_INTERP name past the first 1 KiB of the file (lbw reads that much
# once and takes what lies in it), or across its end. Static programs that
# only exit; the main one's interpreter is the other (an ET_EXEC, as the
# kernel allows), which exits 42 where the main one would exit 7. Run
# directly, from a shell (a vfork child's check, then a re-executed lbw),
# and by a single-threaded program's execve (exec in place).
. "$TESTS_DIR/lib.sh"
"$PY" - "$T" <<'PY'
import os, struct, sys
d = sys.argv[1]
def ehdr(entry, phoff, phnum):
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    return ident + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, entry, phoff, 0, 0, 64, 56, phnum, 64, 0, 0)
def phdr(ptype, flags, off, vaddr, filesz, memsz, align=0x1000):
    return struct.pack("<IIQQQQQQ", ptype, flags, off, vaddr, vaddr, filesz, memsz, align)
def exit_code(n):  # mov $n,%edi; mov $60,%eax; syscall
    return b"\xbf" + struct.pack("<I", n) + b"\xb8\x3c\x00\x00\x00\x0f\x05"
def image(base, code, phoff, extra_ph=b"", name=b"", name_at=0):
    phs = phdr(1, 5, 0, base, 0x2000, 0x2000) + extra_ph
    f = bytearray(0x2000)
    f[0:64] = ehdr(base + 0x1000, phoff, len(phs) // 56)
    f[phoff:phoff + len(phs)] = phs
    f[name_at:name_at + len(name)] = name
    f[0x1000:0x1000 + len(code)] = code
    return bytes(f)
def write(name, data):
    p = os.path.join(d, name)
    open(p, "wb").write(data)
    os.chmod(p, 0o755)
    return p
# past the first KiB; across its end; ending at it; ending one byte after
for phoff in (0x800, 1000, 1024 - 2 * 56, 1025 - 2 * 56):
    interp = write("interp-%d" % phoff, image(0x400000, exit_code(42), phoff))
    name = interp.encode() + b"\0"
    for name_at in (0xc00, 1024 - len(name) // 2, 0x300, 1024 - len(name), 1025 - len(name)):
        if name_at < phoff + 2 * 56 and phoff < name_at + len(name):
            continue  # (would overlap the program headers)
        ph = phdr(3, 4, name_at, 0, len(name), len(name), 1)
        write("main-%d-%d" % (phoff, name_at), image(0x600000, exit_code(7), phoff, ph, name, name_at))
PY
cat >"$T/ex.py" <<'P'
import os, sys
os.execv(sys.argv[1], [sys.argv[1]])
P
for f in "$T"/interp-* "$T"/main-*; do
    b=$(basename "$f")
    same "$b run directly" "$f"
    same "$b run from a shell" sh -c "'$f'; echo \$?"
    same "$b exec'd in place" "$PY" "$T/ex.py" "$f"
done
finish
