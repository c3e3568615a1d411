# slice-state under the AddressSanitizer/UBSan build (set here: the harness
# picks the asan build by the .asan suffix, which would lose .serial):
# re-making a restored slice's buffered calls reads the slot's records and
# writes the tracee's stack with no sanitizer report.
SCRIBE=$TOP/build/asan/scribe
. "$TOP/tests/cases/slice-state.serial.sh"
