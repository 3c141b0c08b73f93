build-asan/lib/tx_stopwords.o: libtext/src/tx_stopwords.c \
 libtext/src/tx_internal.h libtext/include/libtext.h
libtext/src/tx_internal.h:
libtext/include/libtext.h:
