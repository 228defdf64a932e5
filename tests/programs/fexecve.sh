# fexecve (execveat of a descriptor) of a close-on-exec descriptor, as the
# kernel allows for an ELF: a file and a memfd, from a single-threaded
# process (exec in place under lbw) and from a threaded one (lbw
# re-executes itself). The new image sees no descriptor of lbw's.
. "$TESTS_DIR/lib.sh"
cat >"$T/fx.py" <<'P'
import os, sys, threading, time
if sys.argv[1] == "thread":
    threading.Thread(target=time.sleep, args=(2,), daemon=True).start()
if sys.argv[2] == "memfd":
    fd = os.memfd_create("prog", os.MFD_CLOEXEC)
    os.write(fd, open("/bin/sh", "rb").read())
else:
    fd = os.open("/bin/sh", os.O_RDONLY | os.O_CLOEXEC)
# (sh lists its own descriptors: an `ls | tr` pipeline raced the shell's
# pipe descriptor, closed only after the second fork)
os.execve(fd, ["sh", "-c", "echo exec ok; cd /proc/$$/fd && echo *"], dict(os.environ))
P
for how in single thread; do
    for what in file memfd; do
        same "fexecve of a close-on-exec $what, $how-threaded" python3 "$T/fx.py" $how $what
    done
done
finish
