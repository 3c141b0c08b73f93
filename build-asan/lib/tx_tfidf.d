build-asan/lib/tx_tfidf.o: libtext/src/tx_tfidf.c \
 libtext/src/tx_internal.h libtext/include/libtext.h
libtext/src/tx_internal.h:
libtext/include/libtext.h:
