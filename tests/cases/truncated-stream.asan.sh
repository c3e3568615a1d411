# truncated-stream under the AddressSanitizer/UBSan build: a stream cut
# short is read up to the cut with no sanitizer report.
. "$TOP/tests/cases/truncated-stream.sh"
