# Children SIGKILLed by their parent while they exec and start up: the
# tracer may be making a call of its own inside one (the scribe page's
# mmap, at the first syscall of the new image) when it dies.  That used to
# end the recording ("scribe: injected 9 into PID: no syscall stop (0x9)",
# about one run in three); now the death is left for the tracer's main
# loop, which records it as any other.
# Which children die of the signal, and when, differs between runs.
. "$TOP/tests/lib.sh"
nondet "$B/kill_mix" -e 300
rr_check --status 0 --expect-out '^killed [0-9]+, exited [0-9]+, of 300$' -- "$B/kill_mix" -e 300
