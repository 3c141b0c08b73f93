build-asan/tests/check_tokenizer.o: tests/check_tokenizer.c \
 tests/check_suites.h libtext/include/libtext.h libtext/src/tx_internal.h
tests/check_suites.h:
libtext/include/libtext.h:
libtext/src/tx_internal.h:
