# full-disk under the AddressSanitizer/UBSan build (set here: the harness
# picks the asan build by the .asan suffix, which would lose .serial): the
# writer's failure stops the recording with no sanitizer report.
SCRIBE=$TOP/build/asan/scribe
. "$TOP/tests/cases/full-disk.serial.sh"
