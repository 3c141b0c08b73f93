#!/bin/sh
# `make install DESTDIR=...` installs a header, libraries, tools and a
# libtext.pc with which a program compiles, links and runs.
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u SANITIZE -u B -u CFLAGS make -s install B="$T/build" DESTDIR="$T" PREFIX=/usr/local > /dev/null || { echo "install: 0 passed, 1 failed"; exit 1; }
P=$T/usr/local
cat > "$T/use.c" <<'C'
#include <libtext.h>
#include <stdio.h>
int main(void) { printf("%s\n", tx_version()); return 0; }
C
fail=0
for f in include/libtext.h lib/libtext.a lib/libtext.so lib/pkgconfig/libtext.pc bin/tx-vectorize bin/tx-causes share/libtext/causes.h5; do
    [ -e "$P/$f" ] || { echo "FAIL install: $f missing"; fail=1; }
done
flags=$(PKG_CONFIG_PATH=$P/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$T pkg-config --cflags --libs libtext)
if cc "$T/use.c" -o "$T/use" $flags && [ "$(LD_LIBRARY_PATH=$P/lib "$T/use")" = "$(sed -n 's/^Version: //p' "$P/lib/pkgconfig/libtext.pc")" ]; then :; else
    echo "FAIL install: program built with pkg-config libtext does not run"; fail=1
fi
objdump -p "$P/lib/libtext.so" | grep -q 'SONAME.*libtext.so.1' || { echo "FAIL install: soname"; fail=1; }
if [ $fail = 0 ]; then echo "install: 1 passed, 0 failed"; else echo "install: 0 passed, 1 failed"; fi
exit $fail
