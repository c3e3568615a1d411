# A SIGUSR1 from outside interrupts a blocking read; SA_RESTART: the handler writes a byte into the pipe, the restarted read returns it; see sigblock.inc.
. "$TOP/tests/lib.sh"
. "$TOP/tests/cases/sigblock.inc"
sigblock_case read-restart
