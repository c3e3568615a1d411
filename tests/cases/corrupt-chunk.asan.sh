# corrupt-chunk under the AddressSanitizer/UBSan build: every reader of a
# damaged trace fails cleanly, with no sanitizer report.
. "$TOP/tests/cases/corrupt-chunk.sh"
