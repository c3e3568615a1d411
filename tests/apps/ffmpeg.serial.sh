# ffmpeg: transcode a generated 5 s test video (ffv1 + pcm, made by an
# unrecorded ffmpeg) to MPEG-4 + AAC with 2 threads; the input and output
# are deleted before replay.
. "$TOP/tests/lib-app.sh"
need ffmpeg
ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i testsrc=duration=5:size=320x240:rate=25 \
	-f lavfi -i sine=duration=5 -c:v ffv1 -c:a pcm_s16le "$T/in.mkv" || fail "cannot make the test video"
app_record_run ffmpeg -- ffmpeg -nostdin -hide_banner -loglevel error -threads 2 -i "$T/in.mkv" \
	-c:v mpeg4 -c:a aac "$T/out.mp4"
[ -s "$T/out.mp4" ] || fail "no output video"
sum=$(md5sum <"$T/out.mp4")
rm -f "$T/in.mkv" "$T/out.mp4"
app_replay
echo "app ffmpeg: output md5 ${sum%% *}"
