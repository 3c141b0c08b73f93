build-asan/lib/tx_utf8.o: libtext/src/tx_utf8.c libtext/src/tx_internal.h \
 libtext/include/libtext.h
libtext/src/tx_internal.h:
libtext/include/libtext.h:
