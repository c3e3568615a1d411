# sigblock-poll under the AddressSanitizer build (set here: the harness picks the
# asan build by the .asan suffix, which would lose .serial).
SCRIBE=$TOP/build/asan/scribe
. "$TOP/tests/lib.sh"
. "$TOP/tests/cases/sigblock.inc"
sigblock_case poll
