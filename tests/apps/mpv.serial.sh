# mpv: play a generated 5 s clip (H.264 + AAC, made by an unrecorded
# ffmpeg) to null audio and video outputs, as fast as it decodes
# (--untimed, --ao-null-untimed), with its demuxer, decoder and output
# threads.  Its status lines (A-V drift) differ from run to run.
. "$TOP/tests/lib-desktop.sh"
need mpv ffmpeg
ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i testsrc=duration=5:size=320x240:rate=25 \
	-f lavfi -i sine=duration=5 -c:v libx264 -preset ultrafast -c:a aac "$T/clip.mp4" ||
	fail "cannot make the test clip"
play=(mpv --ao=null --ao-null-untimed --untimed --vo=null "$T/clip.mp4")
desk_native -- "${play[@]}"
grep -q 'Exiting... (End of file)' "$T/native.out" || fail "native mpv did not play to the end: $(tail -3 "$T/native.out")"
app_record_run mpv -- "${play[@]}"
grep -q 'Exiting... (End of file)' "$T/mpv.rec.out" || fail "recorded mpv did not play to the end"
rm -f "$T/clip.mp4"
desk_replay
