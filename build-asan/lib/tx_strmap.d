build-asan/lib/tx_strmap.o: libtext/src/tx_strmap.c \
 libtext/src/tx_internal.h libtext/include/libtext.h
libtext/src/tx_internal.h:
libtext/include/libtext.h:
