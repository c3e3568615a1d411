# ffmpeg: transcode a generated 5 s test video (ffv1 + pcm, made by an
# unrecorded ffmpeg) to MPEG-4 + AAC with 2 threads; the input and output
# are deleted before replay.  The transcoding is deterministic: the
# recorded output must be byte for byte what an unrecorded run of the same
# command wrote, and decode to 125 video frames (5 s at 25 frames/s) and
# some audio.
. "$TOP/tests/lib-app.sh"
need ffmpeg ffprobe
ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i testsrc=duration=5:size=320x240:rate=25 \
	-f lavfi -i sine=duration=5 -c:v ffv1 -c:a pcm_s16le "$T/in.mkv" || fail "cannot make the test video"
transcode=(ffmpeg -nostdin -hide_banner -loglevel error -threads 2 -i "$T/in.mkv" -c:v mpeg4 -c:a aac)
"${transcode[@]}" "$T/native.mp4" || fail "the unrecorded transcoding failed"
app_record_run ffmpeg -- "${transcode[@]}" "$T/out.mp4"
[ -s "$T/out.mp4" ] || fail "no output video"
cmp -s "$T/native.mp4" "$T/out.mp4" || fail "the recorded ffmpeg wrote another video than an unrecorded one"
# frames STREAM: how many frames of STREAM (v:0, a:0) the output decodes to.
frames() {
	ffprobe -v error -count_frames -select_streams "$1" -show_entries stream=nb_read_frames \
		-of csv=p=0 "$T/out.mp4"
}
v=$(frames v:0) a=$(frames a:0)
[ "$v" = 125 ] || fail "the output decodes to ${v:-no} video frames, not 125"
[ "${a:-0}" -gt 0 ] || fail "the output decodes to no audio frames"
sum=$(md5sum <"$T/out.mp4")
rm -f "$T/in.mkv" "$T/out.mp4" "$T/native.mp4"
app_replay
echo "app ffmpeg: output md5 ${sum%% *}, $v video and $a audio frames, as an unrecorded run"
