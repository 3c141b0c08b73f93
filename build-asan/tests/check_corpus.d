build-asan/tests/check_corpus.o: tests/check_corpus.c \
 tests/check_suites.h libtext/include/libtext.h
tests/check_suites.h:
libtext/include/libtext.h:
