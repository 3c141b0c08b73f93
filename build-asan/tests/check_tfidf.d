build-asan/tests/check_tfidf.o: tests/check_tfidf.c tests/check_suites.h \
 libtext/include/libtext.h
tests/check_suites.h:
libtext/include/libtext.h:
