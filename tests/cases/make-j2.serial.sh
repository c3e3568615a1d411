# make -j2 builds a generated 40-file C project with gcc; a generated header
# holds the build time and the program built is run last.  The project is
# deleted before replay: replay needs neither sources nor objects.
. "$TOP/tests/lib.sh"
gen() {
	rm -rf "$T/proj"
	mkdir "$T/proj"
	local i objs= calls=
	for i in $(seq 1 40); do
		printf '#include "stamp.h"\nint f%d(int x) { return x * %d + %d; }\n' $i $i $((i * i)) >"$T/proj/f$i.c"
		objs="$objs f$i.o"
		calls="$calls s += f$i($i);"
	done
	{
		echo '#include <stdio.h>'
		echo '#include "stamp.h"'
		for i in $(seq 1 40); do echo "int f$i(int);"; done
		echo "int main(void) { long s = 0; $calls printf(\"built at %s, sum %ld\\n\", STAMP, s); return 0; }"
	} >"$T/proj/main.c"
	cat >"$T/proj/Makefile" <<MK
OBJS = main.o$objs
all: prog
	./prog
prog: \$(OBJS)
	gcc -o prog \$(OBJS)
%.o: %.c stamp.h
	gcc -O0 -c -o \$@ \$<
stamp.h:
	echo "#define STAMP \\"\$\$(date +%s%N)\\"" >stamp.h
MK
}
gen
nondet /bin/bash -c "rm -f '$T'/proj/*.o '$T/proj/prog' '$T/proj/stamp.h'; make -C '$T/proj' -j2"
gen
rr_check --between 'rm -rf "$T/proj"' --expect-out '^built at [0-9]{19}, sum [0-9]+$' -- /usr/bin/make -C "$T/proj" -j2
[ "$(grep -c '^gcc -O0 -c' "$T/rr.rec.out")" = 41 ] || fail "make did not compile 41 files: $(head "$T/rr.rec.out")"
[ ! -e "$T/proj" ] || fail "replay recreated the project"
