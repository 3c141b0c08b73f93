#!/bin/sh
# libtext.so exports the public API only: every defined dynamic symbol is
# a tx_ function of libtext.h (no tx__ internals, no helpers), and the
# soname carries the ABI number.
B=${1:-build}
SO=$B/libtext.so
pass=0 fail=0
syms=$(nm -D --defined-only "$SO" | awk '$2 != "A" {print $3}' | sed 's/@.*//' | sort -u)
bad=$(echo "$syms" | grep -v '^tx_[a-z]' )
[ -z "$bad" ] && pass=$((pass + 1)) || { echo "FAIL exports: not public: $bad"; fail=$((fail + 1)); }
hdr=$(grep -o '^TX_API [^(]*(' libtext/include/libtext.h | sed 's/.*[ *]\(tx_[a-z0-9_]*\)(/\1/' | sort -u)
extra=$(echo "$syms" | grep '^tx_' | while read -r s; do echo "$hdr" | grep -qx "$s" || echo "$s"; done)
[ -z "$extra" ] && pass=$((pass + 1)) || { echo "FAIL exports: exported but not in libtext.h: $extra"; fail=$((fail + 1)); }
missing=$(echo "$hdr" | while read -r s; do echo "$syms" | grep -qx "$s" || echo "$s"; done)
[ -z "$missing" ] && pass=$((pass + 1)) || { echo "FAIL exports: declared but not exported: $missing"; fail=$((fail + 1)); }
objdump -p "$SO" | grep -q 'SONAME *libtext.so.3$' && pass=$((pass + 1)) ||
    { echo "FAIL exports: soname is not libtext.so.3"; fail=$((fail + 1)); }
echo "exports: $pass passed, $fail failed"
[ $fail = 0 ]
