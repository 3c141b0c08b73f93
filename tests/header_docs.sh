#!/bin/sh
# Every function of libtext.h has its own doc comment, right above it, that
# says who owns what ("Ownership:") and from which threads it may be
# called ("Threads:"): the header is the reference.
H=${1:-libtext/include/libtext.h}
awk '
/\/\*\*/ { doc = ""; indoc = 1 }
indoc { doc = doc $0 "\n" }
indoc && /\*\// { indoc = 0; have = 1; next }
/^TX_API / {
    name = $0; sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
    n++
    if (!have || doc !~ /Ownership:/ || doc !~ /Threads:/) {
        bad++; printf "header_docs: %s lacks Ownership:/Threads: in its own comment\n", name
    }
    have = 0; doc = ""
    next
}
/^[^ \/*]/ && !/^TX_API/ && !/^$/ && !/^#/ { if (!indoc) { have = have } }
END {
    printf "header_docs: %d passed, %d failed\n", n - bad, bad + 0
    exit bad > 0
}' "$H"
