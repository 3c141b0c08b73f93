build-asan/tests/check_h5.o: tests/check_h5.c tests/check_suites.h \
 libtext/include/libtext.h
tests/check_suites.h:
libtext/include/libtext.h:
