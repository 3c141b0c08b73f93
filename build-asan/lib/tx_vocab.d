build-asan/lib/tx_vocab.o: libtext/src/tx_vocab.c \
 libtext/src/tx_internal.h libtext/include/libtext.h
libtext/src/tx_internal.h:
libtext/include/libtext.h:
