# The fd-table case again, under the AddressSanitizer/UBSan build of
# scribe: the model (src/syscalls/fdtab*.c) is fed by every replay, and
# the recorder reads the facts it keeps.
. "$TOP/tests/lib.sh"
. "$TOP/tests/cases/fd-table.sh"
