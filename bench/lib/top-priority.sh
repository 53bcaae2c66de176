#!/bin/sh
# top-priority.sh COMMAND...: runs COMMAND in a session of its own at the top CFS priority
# (bench/run.sh --nice). The kernel groups processes by session (sched autogroup) and shares a
# core fairly between groups whatever their members' nice, so the group's own nice is raised
# too: then a compiler in another session gets about 1% of a core while it competes.
# Needs root (CAP_SYS_NICE). COMMAND keeps this process id: setsid does not fork when its caller
# is not a process group leader (run.sh's background jobs are not), and nice execs.
session=$(cut -d' ' -f6 /proc/$$/stat)
if [ "$session" != "$$" ]; then
    exec setsid "$0" "$@"
fi
if [ -w /proc/self/autogroup ]; then
    echo -20 >/proc/self/autogroup || exit 1
fi
exec nice -n -20 "$@"
