build-asan/lib/tx_corpus.o: libtext/src/tx_corpus.c \
 libtext/src/tx_internal.h libtext/include/libtext.h
libtext/src/tx_internal.h:
libtext/include/libtext.h:
