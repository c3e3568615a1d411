# A SIGUSR1 sent from outside interrupts a blocking poll; see sigblock.inc.
. "$TOP/tests/lib.sh"
. "$TOP/tests/cases/sigblock.inc"
sigblock_case poll
