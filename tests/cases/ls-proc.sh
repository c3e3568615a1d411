# ls -l /proc/self/: the process's own /proc directory (inode numbers, pid,
# times; the plain listing shows the pid as the name in /proc/self/task/).
. "$TOP/tests/lib.sh"
nondet /usr/bin/ls -li --time-style=full-iso /proc/self/
rr_check --name full --expect-out ' exe -> /usr/bin/ls$' -- /usr/bin/ls -li --time-style=full-iso /proc/self/
nondet /usr/bin/ls -l /proc/self/ /proc/self/task/
rr_check --name plain --expect-out ' cwd -> ' -- /usr/bin/ls -l /proc/self/ /proc/self/task/
