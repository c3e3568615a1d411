# A SIGUSR1 sent from outside interrupts a blocking read; see sigblock.inc.
. "$TOP/tests/lib.sh"
. "$TOP/tests/cases/sigblock.inc"
sigblock_case read
