# The environment: replay prints the recorded environ even when the replay's own
# environment differs (a variable changed, another added).
. "$TOP/tests/lib.sh"
nondet bash -c 'SCRIBE_TEST_RANDOM=$RANDOM$RANDOM exec "$0"' "$B/environ"
rr_check --env SCRIBE_TEST_RANDOM=$RANDOM$RANDOM --expect-out '^SCRIBE_TEST_RANDOM=[0-9]+$' \
	--between 'export SCRIBE_TEST_RANDOM=changed-before-replay SCRIBE_TEST_EXTRA=$(head -c 3000 /dev/zero | tr "\0" x)' \
	-- "$B/environ"
