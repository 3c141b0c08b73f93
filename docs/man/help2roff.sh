#!/bin/sh
# Writes a tool's man page (section 1) from its --help, which is laid out
# as one: section names at column 0, text indented. The page is made at
# build time, so it always says what the tool says.
# usage: help2roff.sh TOOL VERSION > TOOL.1
tool=$1 version=$2
name=$(basename "$tool")
"$tool" --help | awk -v name="$name" -v version="$version" '
BEGIN {
    printf ".TH %s 1 \"\" \"libtext %s\" \"libtext manual\"\n", toupper(name), version
}
/^[A-Z][A-Z ]*$/ {
    if (open) print ".fi"
    open = 0
    printf ".SH %s\n", $0
    if ($0 == "NAME") { inname = 1; next }  # plain text, for whatis/apropos
    inname = 0
    print ".nf"
    open = 1
    next
}
inname {
    sub(/^ +/, "")
    if ($0 != "") { sub(/ - /, " \\- "); print }
    next
}
{
    sub(/^    /, "")
    gsub(/\\/, "\\e")
    if ($0 ~ /^[.\047]/) $0 = "\\&" $0
    print
}
END { if (open) print ".fi" }'
