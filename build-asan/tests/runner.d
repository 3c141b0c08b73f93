build-asan/tests/runner.o: tests/runner.c tests/check_suites.h \
 libtext/include/libtext.h
tests/check_suites.h:
libtext/include/libtext.h:
