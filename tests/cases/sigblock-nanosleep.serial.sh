# A SIGUSR1 sent from outside interrupts a blocking nanosleep; see sigblock.inc.
. "$TOP/tests/lib.sh"
. "$TOP/tests/cases/sigblock.inc"
sigblock_case nanosleep
