build-asan/tests/check_vocab.o: tests/check_vocab.c tests/check_suites.h \
 libtext/include/libtext.h
tests/check_suites.h:
libtext/include/libtext.h:
