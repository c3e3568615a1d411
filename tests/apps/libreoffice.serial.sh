# LibreOffice Writer, headless: convert a generated RTF document (headings,
# 200 numbered paragraphs, a table) to PDF, with a fresh user profile (so
# soffice.bin starts, creates the profile, restarts itself with exit 81
# and converts: 16 processes, oosplash, the soffice shell script).  The
# lock file it writes holds random bytes from std::random_device, which
# draws from RDRAND unless cpuid hides it (scribe's cpuid trap).
. "$TOP/tests/lib-desktop.sh"
need soffice
mkdir -p "$T/doc" "$T/home-native" "$T/home"
{
	printf '{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Liberation Serif;}}\n'
	printf '{\\pard\\fs40\\b Scribe test document\\par}\n'
	for i in $(seq 200); do
		printf '{\\pard\\fs22 Paragraph %d: the quick brown fox jumps over the lazy dog %d times.\\par}\n' "$i" $((i * 7 % 13))
	done
	for r in 1 2 3 4; do
		printf '\\trowd\\cellx2000\\cellx4000\\cellx6000\n\\intbl row %d\\cell %d\\cell %d\\cell\\row\n' "$r" $((r * r)) $((r * r * r))
	done
	printf '}\n'
} >"$T/doc/report.rtf"
convert=(soffice --headless --convert-to pdf --outdir "$T/out" "$T/doc/report.rtf")
HOME=$T/home-native desk_native -- "${convert[@]}"
[ -s "$T/out/report.pdf" ] || fail "native soffice made no PDF: $(tail -3 "$T/native.out")"
rm -rf "$T/out"
HOME=$T/home app_record_run libreoffice -- "${convert[@]}"
grep -q 'writer_pdf_Export' "$T/libreoffice.rec.out" || fail "the recording converted nothing: $(cat "$T/libreoffice.rec.out")"
pages=$(grep -ac '/Type */Page[^s]' "$T/out/report.pdf")
[ "$pages" -ge 3 ] || fail "the recorded PDF has $pages pages"
rm -rf "$T/out" "$T/doc" "$T/home"
desk_replay
echo "app libreoffice: $pages pages, $("$SCRIBE" info "$T/libreoffice" | sed -n 's/^processes: *//p') processes"
