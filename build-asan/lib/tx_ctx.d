build-asan/lib/tx_ctx.o: libtext/src/tx_ctx.c libtext/src/tx_internal.h \
 libtext/include/libtext.h
libtext/src/tx_internal.h:
libtext/include/libtext.h:
