# lbw-only: malformed or foreign executables give exit 126 and exactly one
# line starting "lbw:", never a crash. (Natively the kernel refuses most of
# these with ENOEXEC; a non-ELF file without #! is ENOEXEC too.)
. "$TESTS_DIR/lib.sh"
"$PY" - "$T" <<'PY'
import os, struct, sys
d = sys.argv[1]

def ehdr64(machine=62, etype=2, phoff=64, phnum=1, phentsize=56, cls=2):
    ident = b"\x7fELF" + bytes([cls, 1, 1, 0]) + bytes(8)
    return ident + struct.pack("<HHIQQQIHHHHHH", etype, machine, 1, 0x401000, phoff, 0, 0, 64,
                               phentsize, phnum, 64, 0, 0)

def phdr64(ptype=1, flags=5, off=0, vaddr=0x400000, filesz=0x1000, memsz=0x1000, align=0x1000):
    return struct.pack("<IIQQQQQQ", ptype, flags, off, vaddr, vaddr, filesz, memsz, align)

def write(name, data):
    p = os.path.join(d, name)
    with open(p, "wb") as f:
        f.write(data)
    os.chmod(p, 0o755)

body = bytes(0x1000)
write("truncated-ident", b"\x7fELF\x02\x01\x01" + bytes(5))
write("truncated-ehdr", ehdr64()[:40])
write("bad-phoff", ehdr64(phoff=0x7ffffff0) + body)
write("bad-phentsize", ehdr64(phentsize=20) + phdr64() + body)
write("phnum-huge", ehdr64(phnum=0xffff) + phdr64() + body)
write("no-load-segment", ehdr64(phnum=0) + body)
write("machine-arm", ehdr64(machine=40) + phdr64() + body)
write("machine-aarch64", ehdr64(machine=183) + phdr64() + body)
write("relocatable", ehdr64(etype=1) + phdr64() + body)
write("load-beyond-eof", ehdr64() + phdr64(off=0x100000, filesz=0x100000, memsz=0x100000))
write("filesz-gt-memsz", ehdr64() + phdr64(filesz=0x2000, memsz=0x1000) + body + body)
# a 32-bit (ELFCLASS32, EM_386) header with one PT_LOAD
ident32 = b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8)
e32 = ident32 + struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, 0x8049000, 52, 0, 0, 52, 32, 1, 40, 0, 0)
p32 = struct.pack("<IIIIIIII", 1, 0, 0x8048000, 0x8048000, 0x1000, 0x1000, 5, 0x1000)
write("elf32-i386", e32 + p32 + body)
write("bad-class", ehdr64(cls=7) + phdr64() + body)
# not an ELF, no #!: garbage, text, empty
write("garbage", bytes((i * 37 + 11) % 251 for i in range(300)))
write("text-no-shebang", b"echo this is not a script\n")
write("empty", b"")
PY
for f in truncated-ident truncated-ehdr bad-phoff bad-phentsize phnum-huge no-load-segment \
    machine-arm machine-aarch64 relocatable load-beyond-eof filesz-gt-memsz elf32-i386 bad-class \
    garbage text-no-shebang empty; do
    lbw_error "$f" 126 "$T/$f"
done
# PT_INTERP naming a missing interpreter: the kernel says ENOENT; a shell says 127
"$PY" - "$T" <<'PY'
import os, struct, sys
d = sys.argv[1]
interp = b"/nonexistent/ld.so\0"
ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
eh = ident + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x401000, 64, 0, 0, 64, 56, 2, 64, 0, 0)
ph_interp = struct.pack("<IIQQQQQQ", 3, 4, 64 + 2 * 56, 0, 0, len(interp), len(interp), 1)
ph_load = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x400000, 0x400000, 0x1000, 0x1000, 0x1000)
data = eh + ph_interp + ph_load + interp
data += bytes(0x1000 - len(data))
p = os.path.join(d, "missing-interp")
open(p, "wb").write(data)
os.chmod(p, 0o755)
PY
lbw_error "PT_INTERP names a missing file" "126|127" "$T/missing-interp"
finish
