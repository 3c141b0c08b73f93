build-asan/tests/check_ctx.o: tests/check_ctx.c tests/check_suites.h \
 libtext/include/libtext.h
tests/check_suites.h:
libtext/include/libtext.h:
