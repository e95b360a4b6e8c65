#!/usr/bin/env python3
"""Run a command K times; print its best wall time and its peak RSS.

    python3 bench/measure.py [--runs K] [--stdin FILE] [--stdout FILE]
                             [--stderr FILE] [-v] -- CMD [ARG...]

Prints one line on stdout:

    WALL_SECONDS MAXRSS_KIB STATUS

WALL_SECONDS is the smallest wall time of the K runs (time.perf_counter
around spawn and wait), MAXRSS_KIB the largest peak resident set size of
the K runs, and STATUS 0 when every run exited 0, otherwise the exit status
of the first run that failed (128+N for a signal N).

Peak RSS comes from os.wait4(), i.e. the command's own ru_maxrss: the
largest resident set of that process or of any descendant it waited for
(the largest single process, not a sum; for `sh -c 'a | b'` that is the
larger of a and b).  The command is started through /bin/sh so that this
wrapper's own memory is not counted (see _SPAWNER below); the floor is
then about 1 MiB, as with GNU time.  The command's stdout goes to
/dev/null unless --stdout says otherwise; stderr is inherited unless
--stderr names a file (truncated at each run).  Standard
library only (Linux), so no `time` package is needed.
"""

import argparse
import os
import shutil
import sys
import time


# The command is started by a small /bin/sh, not by this python process:
# Linux keeps the resident size a process had *before* exec in its
# ru_maxrss, so a command spawned straight from python would report at
# least python's own ~14 MiB.  sh starts the command in the background and
# exits; the command is then re-parented to us (we are a child subreaper)
# and we wait4() for it, which gives its own rusage.
_SPAWNER = '"$@" <&3 3<&- &'
_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def run_once(argv, stdin_path, stdout_path, stderr_path, via_sh):
    wr = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [(os.POSIX_SPAWN_OPEN, 1, stdout_path, wr, 0o644)]
    if stderr_path is not None:
        actions.append((os.POSIX_SPAWN_OPEN, 2, stderr_path, wr, 0o644))
    if stdin_path is not None:
        actions.append((os.POSIX_SPAWN_OPEN, 3 if via_sh else 0, stdin_path, os.O_RDONLY, 0))
    elif via_sh:
        actions.append((os.POSIX_SPAWN_DUP2, 0, 3))
    if via_sh:
        argv = ["/bin/sh", "-c", _SPAWNER, "sh"] + argv
    t0 = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
    wall, rss, code = None, 0, None
    while True:
        try:
            p, status, ru = os.wait4(-1, 0)
        except ChildProcessError:
            break
        if via_sh and p == pid:
            if status != 0:
                code = 127
            continue
        wall = time.perf_counter() - t0
        rss = max(rss, ru.ru_maxrss)   # KiB on Linux
        if code is None:
            if os.WIFSIGNALED(status):
                code = 128 + os.WTERMSIG(status)
            else:
                code = os.WEXITSTATUS(status)
    if wall is None:
        wall = time.perf_counter() - t0
    return wall, rss, code if code is not None else 127


def main():
    ap = argparse.ArgumentParser(usage=__doc__.split("\n\n")[1].strip())
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--stdin", metavar="FILE")
    ap.add_argument("--stdout", metavar="FILE", default=os.devnull)
    ap.add_argument("--stderr", metavar="FILE",
                    help="the command's stderr (default: inherited)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print each run's figures on stderr")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd[:1] == ["--"] else a.cmd
    if not cmd or a.runs < 1:
        ap.error("need --runs >= 1 and a command after --")

    if shutil.which(cmd[0]) is None:
        print("measure.py: %s: command not found" % cmd[0], file=sys.stderr)
        return 127
    via_sh = become_subreaper() and os.access("/bin/sh", os.X_OK)
    if not via_sh:
        print("measure.py: cannot become a child subreaper: peak RSS includes"
              " this wrapper's own (~14 MiB)", file=sys.stderr)

    best, peak, status = None, 0, 0
    for i in range(a.runs):
        try:
            wall, rss, code = run_once(cmd, a.stdin, a.stdout, a.stderr, via_sh)
        except OSError as e:
            print("measure.py: %s: %s" % (cmd[0], e.strerror), file=sys.stderr)
            return 127
        if a.verbose:
            print("measure.py: run %d: %.3f s, %d KiB, exit %d"
                  % (i + 1, wall, rss, code), file=sys.stderr)
        best = wall if best is None else min(best, wall)
        peak = max(peak, rss)
        if code and not status:
            status = code
    print("%.3f %d %d" % (best, peak, status))
    return 0


if __name__ == "__main__":
    sys.exit(main())
