build-asan/lib/tx_tokenizer.o: libtext/src/tx_tokenizer.c \
 libtext/src/tx_internal.h libtext/include/libtext.h
libtext/src/tx_internal.h:
libtext/include/libtext.h:
