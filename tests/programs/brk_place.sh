# Differential: where the program break starts (brk_place.c beside this
# script), with address randomization (within 1 GiB of the program's end,
# or of ELF_ET_DYN_BASE for a static PIE) and without it (setarch -R: at
# the program's end exactly), for a dynamic, a static, a static-PIE and a
# musl program. As root, also with the randomize_va_space sysctl at 0 (no
# randomization) and 1 (all but the brk's), put back afterwards.
. "$TESTS_DIR/lib.sh"
cd "$T" || exit 1
src=$TESTS_DIR/programs/brk_place.c
gcc -O2 -o dynamic "$src" && gcc -O2 -static -o static "$src" &&
    gcc -O2 -static-pie -o static-pie "$src" && musl-gcc -O2 -static -o musl "$src" 2>build.err
check "brk_place.c builds ($(head -c 300 build.err))" -x musl
for prog in dynamic static static-pie musl; do
    same "$prog" "$T/$prog"
    same_sh "$prog, setarch -R" "setarch -R \$L $T/$prog"
done
sysctl=/proc/sys/kernel/randomize_va_space
if [ "$(id -u)" = 0 ] && was=$(cat $sysctl) && [ -w $sysctl ]; then
    # (put back however the script ends; lib.sh's own cleanup kept)
    if [ -n "$(trap -p EXIT)" ]; then cleanup='rm -rf "$TESTS_TMP"'; else cleanup=:; fi
    trap 'echo "$was" >$sysctl; eval "$cleanup"' EXIT INT TERM
    for v in 0 1; do
        echo $v >$sysctl
        for prog in dynamic static-pie; do
            same "$prog, randomize_va_space $v" "$T/$prog"
        done
    done
    echo "$was" >$sysctl
fi
finish
