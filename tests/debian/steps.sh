# tests/debian/steps.sh: the Debian scenario, step by step (sourced).
# Used by tests/debian.sh (each step a test, under lbw) and bench/debian.sh
# (each step timed, under lbw and under PRoot).
#
# The caller sets:
#   AS=(...)    prefix that runs a host command as the non-root user
#               (setup_user sets it)
#   G=(...)     prefix that runs a command inside the rootfs as fake root
#               (e.g. lbw -0 -R DIR, or proot -0 -r DIR with binds)
#   W           a scratch directory the user can write (absolute)
#   SSH_PORT    port of the host's sshd started by sshd_start
# Each step_* prints what it saw to stdout and returns 0 when it is right.

# As root: the steps run as the user lbwtest (made if missing); as anyone
# else, as that user. Sets USER_NAME, USER_HOME and AS; makes the package
# cache $CACHE the user's.
setup_user() {
    if [ "$(id -u)" = 0 ]; then
        USER_NAME=lbwtest
        id "$USER_NAME" >/dev/null 2>&1 || useradd -m -s /bin/bash "$USER_NAME" || return 1
        # sshd refuses accounts with a locked password ("!"): no password instead
        [ "$(getent shadow "$USER_NAME" | cut -d: -f2)" = '*' ] || usermod -p '*' "$USER_NAME"
        USER_HOME=$(getent passwd "$USER_NAME" | cut -d: -f6)
        AS=(setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --init-groups
            env HOME="$USER_HOME" USER="$USER_NAME" LOGNAME="$USER_NAME")
        mkdir -p "$CACHE" && chown "$USER_NAME:" "$CACHE"
    else
        USER_NAME=$(id -un) USER_HOME=$HOME
        AS=()
        mkdir -p "$CACHE"
    fi
    "${AS[@]}" mkdir -p "$CACHE/debootstrap" "$CACHE/archives/partial"
}

GUEST_ENV=(env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games
    HOME=/root TERM=dumb LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive)
PACKAGES=(hello cowsay netpbm git gcc libc6-dev openssh-client x11-apps)

g() { "${AS[@]}" "${G[@]}" "${GUEST_ENV[@]}" "$@"; }

step_apt_install() {
    g apt-get update -q || return 1
    g apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" || return 1
    local hello moo
    hello=$(g hello) moo=$(g cowsay moo)
    echo "$hello"
    echo "$moo"
    [ "$hello" = "Hello, world!" ] && [[ $moo == *"< moo >"* ]]
}

step_dpkg_local() {
    local out
    out=$(g /bin/sh -c '
set -e
rm -rf /root/pkg; mkdir -p /root/pkg/DEBIAN /root/pkg/usr/bin
printf "Package: lbw-demo\nVersion: 1.0\nArchitecture: all\nMaintainer: lbw <lbw@example.org>\nDescription: a package made by the lbw tests\n" >/root/pkg/DEBIAN/control
printf "#!/bin/sh\necho lbw-demo works\n" >/root/pkg/usr/bin/lbw-demo
chmod 755 /root/pkg/usr/bin/lbw-demo
dpkg-deb --build /root/pkg /root/lbw-demo.deb >/dev/null
dpkg-deb -c /root/lbw-demo.deb | grep usr/bin/lbw-demo | cut -c1-20
dpkg -i /root/lbw-demo.deb >/dev/null
lbw-demo
dpkg-query -W -f "\${Status}\n" lbw-demo
dpkg -r lbw-demo >/dev/null
[ ! -e /usr/bin/lbw-demo ] && echo removed
dpkg-query -W lbw-demo 2>/dev/null || echo "not known any more"
') || { echo "$out"; return 1; }
    echo "$out"
    [ "$out" = "-rwxr-xr-x root/root
lbw-demo works
install ok installed
removed
not known any more" ]
}

step_gcc_git() {
    local out
    out=$(g /bin/sh -c '
set -e
cd /root
cat >t.c <<C
#include <stdio.h>
int main(void) { printf("%d\\n", 6 * 7); return 3; }
C
gcc -O2 -Wall -o t t.c
./t || echo "exit $?"
rm -rf repo; mkdir repo; cd repo
git init -q -b main
git config user.name lbw; git config user.email lbw@example.org
echo one >a; git add a; git commit -q -m first
echo two >>a; git commit -q -a -m second
git log --format=%s
git status --short | wc -l
') || { echo "$out"; return 1; }
    echo "$out"
    [ "$out" = "42
exit 3
second
first
0" ]
}

# sshd on 127.0.0.1 for the user, with the key the guest makes.
sshd_start() { # sshd_start DIR (a root-owned or user-owned scratch dir)
    local d=$1
    mkdir -p "$d" /run/sshd 2>/dev/null
    ssh-keygen -q -t ed25519 -N "" -f "$d/host_key" || return 1
    cat >"$d/sshd_config" <<CFG
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $d/host_key
AuthorizedKeysFile $d/authorized_keys
PidFile $d/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
CFG
    touch "$d/authorized_keys"
    chmod 644 "$d/authorized_keys"
    /usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log" || return 1
}

sshd_stop() { [ -f "$1/sshd.pid" ] && kill "$(cat "$1/sshd.pid")" 2>/dev/null; }

step_ssh() { # step_ssh SSHD-DIR HOST-USER
    local d=$1 user=$2 out
    g /bin/sh -c 'rm -f /root/.ssh/id_ed25519*; mkdir -p /root/.ssh; ssh-keygen -q -t ed25519 -N "" -f /root/.ssh/id_ed25519' || return 1
    g cat /root/.ssh/id_ed25519.pub >>"$d/authorized_keys" || return 1
    out=$(g ssh -p "$SSH_PORT" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
        -o LogLevel=ERROR "$user@127.0.0.1" 'echo "ssh to $(id -un) on the host works"')
    echo "$out"
    [ "$out" = "ssh to $user on the host works" ]
}

# pamscale inside against pamscale on the host: the same bytes.
step_netpbm() {
    local info
    g /bin/sh -c 'pgmramp -lr 64 48 | pamscale -xsize 160 -ysize 120' >"$W/scaled.guest" || return 1
    pgmramp -lr 64 48 | pamscale -xsize 160 -ysize 120 >"$W/scaled.host" || return 1
    info=$(pamfile <"$W/scaled.guest")
    echo "$info"
    [ "$info" = "stdin:	PGM raw, 160 by 120  maxval 255" ] && cmp "$W/scaled.guest" "$W/scaled.host"
}

# The number of colours on the Xvfb screen.
screen_colours() { xwd -root -silent -display ":$1" | xwdtopnm 2>/dev/null | ppmhist -noheader | wc -l; }

step_x11() { # step_x11 DISPLAY-NUMBER
    local n=$1 before after pid i
    before=$(screen_colours "$n")
    # exec all the way down, so that $! is the X client (or the tool
    # running it) and the kill below reaches it
    (exec "${AS[@]}" "${G[@]}" "${GUEST_ENV[@]}" env DISPLAY=":$n" xlogo -geometry 200x200+10+10) \
        >"$W/xlogo.log" 2>&1 &
    pid=$!
    after=$before
    for i in $(seq 40); do
        sleep 0.5
        after=$(screen_colours "$n")
        [ "$after" -gt "$before" ] && break
        kill -0 "$pid" 2>/dev/null || break
    done
    kill "$pid" 2>/dev/null
    # A tool that keeps its client alive past SIGTERM (PRoot does) would
    # make the wait below last forever: after 5 s, kill both.
    for i in $(seq 20); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.25
    done
    if kill -0 "$pid" 2>/dev/null; then
        pkill -KILL -P "$pid" 2>/dev/null
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    echo "colours on the screen: $before before xlogo, $after with it"
    cat "$W/xlogo.log"
    [ "$before" -le 1 ] && [ "$after" -ge 2 ]
}
