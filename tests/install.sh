#!/bin/sh
# Installing works the way users use it:
# - a staged install (DESTDIR, PREFIX=/opt/libtext) holds the header, the
#   libraries, the tools, their man pages and libtext(3), and a libtext.pc
#   that names that PREFIX although the build was made for another;
#   examples/themes_of_csv.c builds against it with pkg-config; `make
#   uninstall` with the same settings leaves no file behind;
# - as root, a real install into /usr/local: the example, built with
#   `pkg-config --cflags --libs libtext` and nothing else, starts and runs
#   without LD_LIBRARY_PATH, `man` finds the pages, and `make uninstall`
#   removes it all again.
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL install: $1"; fail=$((fail + 1)); }
mk() { env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u SANITIZE -u CFLAGS make -s "$@" B="$T/build" > "$T/make.log" 2>&1; }
TOOLS="tx-vectorize tx-themes tx-assign tx-eval tx-causes tx-train-causes"

mk all PREFIX=/usr/local || { cat "$T/make.log"; bad "make"; }
mk install DESTDIR="$T/stage" PREFIX=/opt/libtext || { cat "$T/make.log"; bad "make install DESTDIR"; }
P=$T/stage/opt/libtext
missing=""
for f in include/libtext.h lib/libtext.a lib/libtext.so lib/libtext.so.3 \
         lib/pkgconfig/libtext.pc share/libtext/causes.h5 share/man/man3/libtext.3; do
    [ -e "$P/$f" ] || missing="$missing $f"
done
for t in $TOOLS; do
    [ -x "$P/bin/$t" ] || missing="$missing bin/$t"
    grep -q '^\.SH SYNOPSIS' "$P/share/man/man1/$t.1" 2> /dev/null || missing="$missing man1/$t.1"
done
[ -z "$missing" ] && ok || bad "staged install lacks$missing"
grep -qx 'prefix=/opt/libtext' "$P/lib/pkgconfig/libtext.pc" && ok ||
    bad "libtext.pc does not carry PREFIX=/opt/libtext: $(grep prefix= "$P/lib/pkgconfig/libtext.pc")"
flags=$(PKG_CONFIG_PATH=$P/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$T/stage pkg-config --cflags --libs libtext)
if cc examples/themes_of_csv.c -o "$T/ex_staged" $flags 2> "$T/cc.log" &&
   LD_LIBRARY_PATH=$P/lib "$T/ex_staged" corpora/feedback.csv 3 | grep -q '^70 documents'; then ok; else
    cat "$T/cc.log"; bad "the example does not build or run against the staged install"
fi
mk uninstall DESTDIR="$T/stage" PREFIX=/opt/libtext
left=$(find "$T/stage" -type f -o -type l)
[ -z "$left" ] && ok || bad "make uninstall left: $left"

if [ "$(id -u)" = 0 ] && [ ! -e /usr/local/lib/libtext.so ]; then
    mk install PREFIX=/usr/local || { cat "$T/make.log"; bad "make install"; }
    if cc examples/themes_of_csv.c -o "$T/ex" $(pkg-config --cflags --libs libtext) 2> "$T/cc.log" &&
       env -u LD_LIBRARY_PATH "$T/ex" corpora/feedback.csv 3 > "$T/ex.out" 2>&1 &&
       grep -q '^70 documents' "$T/ex.out"; then ok; else
        cat "$T/cc.log" "$T/ex.out" 2> /dev/null; bad "a program built with pkg-config libtext does not start after make install"
    fi
    if command -v man > /dev/null; then
        man -w tx-themes > /dev/null 2>&1 && man -w 3 libtext > /dev/null 2>&1 && ok ||
            bad "man does not find tx-themes(1) and libtext(3)"
    fi
    mk uninstall PREFIX=/usr/local
    left=$(ls /usr/local/lib/libtext* /usr/local/include/libtext.h /usr/local/bin/tx-themes \
              /usr/local/share/man/man1/tx-themes.1 /usr/local/lib/pkgconfig/libtext.pc 2> /dev/null)
    [ -z "$left" ] && ok || bad "make uninstall left: $left"
else
    echo "install: system install into /usr/local skipped (needs root and no libtext there)"
fi
echo "install: $pass passed, $fail failed"
[ $fail = 0 ]
