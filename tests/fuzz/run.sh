#!/bin/sh
# Builds each libFuzzer target with clang (ASan + UBSan) and runs it for a
# bounded time: run.sh SECONDS TARGET...   (targets: csv ranks html tsv jsonl
# json transcript vtt srt tokenizer causes wordvec w2vbin npy). Crashes are
# saved in build/fuzz/ and fail the run.
SECS=${1:-30}; shift
cd "$(dirname "$0")/../.." || exit 1
command -v clang > /dev/null || { echo "fuzz: needs clang (apt-get install clang libclang-rt-14-dev)"; exit 1; }
O=build/fuzz; mkdir -p "$O"
CFLAGS="-g -O1 -Ilibtext/include -Ilibtext/src -Ilibtext/src/core -D_GNU_SOURCE $(pkg-config --cflags hdf5 libutf8proc jansson icu-uc libxml-2.0)"
LIBS="$(pkg-config --libs openblas hdf5 libutf8proc jansson icu-uc libxml-2.0) -lstemmer -lcsv -lm -pthread"
# The library is compiled once (instrumented, without libFuzzer's main);
# each target then only compiles its own file and links.
mkdir -p "$O/lib"
for f in libtext/src/*/*.c; do
    obj=$O/lib/$(basename "$f" .c).o fresh=1
    for dep in "$f" libtext/src/*/*.h libtext/include/*.h; do
        [ "$obj" -nt "$dep" ] || fresh=0
    done
    [ $fresh = 1 ] && continue
    clang $CFLAGS -fsanitize=fuzzer-no-link,address,undefined -c "$f" -o "$obj" || exit 1
done
fail=0; pass=0
for t in "$@"; do
    html=0
    case $t in
        csv) src=fuzz_corpus.c; name=x.csv; fmt=TX_FORMAT_AUTO ;;
        ranks) src=fuzz_ranks.c; name=x.csv; fmt=0 ;;
        html) src=fuzz_corpus.c; name=x.csv; fmt=TX_FORMAT_AUTO; html=1 ;;
        jsonl) src=fuzz_corpus.c; name=x.jsonl; fmt=TX_FORMAT_AUTO ;;
        json) src=fuzz_corpus.c; name=x.json; fmt=TX_FORMAT_JSON ;;
        transcript) src=fuzz_corpus.c; name=x.txt; fmt=TX_FORMAT_TURNS ;;
        vtt) src=fuzz_corpus.c; name=x.vtt; fmt=TX_FORMAT_AUTO ;;
        srt) src=fuzz_corpus.c; name=x.srt; fmt=TX_FORMAT_AUTO ;;
        tsv) src=fuzz_corpus.c; name=x.tsv; fmt=TX_FORMAT_AUTO ;;
        tokenizer) src=fuzz_tokenizer.c; name=x; fmt=0 ;;
        causes) src=fuzz_causes.c; name=x; fmt=0 ;;
        wordvec) src=fuzz_files.c; name=x.vec; fmt=0 ;;
        w2vbin) src=fuzz_files.c; name=x.bin; fmt=0 ;;
        npy) src=fuzz_files.c; name=x.npy; fmt=0 ;;
        *) echo "fuzz: unknown target $t"; exit 2 ;;
    esac
    clang $CFLAGS -fsanitize=fuzzer,address,undefined "-DFUZZ_NAME=\"$name\"" \
        "-DFUZZ_FORMAT=$fmt" "-DFUZZ_HTML=$html" tests/fuzz/$src "$O"/lib/*.o -o "$O/fuzz_$t" $LIBS || exit 1
    mkdir -p "$O/corpus_$t"
    seeds=tests/fuzz/seeds/$t; [ "$t" = ranks ] && seeds=tests/fuzz/seeds/csv
    [ -d "$seeds" ] || seeds=tests/fuzz/seeds/transcript
    if "$O/fuzz_$t" -max_total_time="$SECS" -max_len=65536 -timeout=10 \
        -artifact_prefix="$O/crash_$t-" "$O/corpus_$t" "$seeds" > "$O/log_$t" 2>&1; then
        pass=$((pass+1)); echo "fuzz $t: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$O/log_$t" || tail -1 "$O/log_$t")"
    else
        fail=$((fail+1)); echo "FAIL fuzz $t (see $O/log_$t)"; tail -30 "$O/log_$t"
    fi
done
echo "fuzz: $pass passed, $fail failed"
[ $fail = 0 ]
