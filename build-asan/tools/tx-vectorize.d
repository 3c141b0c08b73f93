build-asan/tools/tx-vectorize.o: tools/tx-vectorize.c tools/cli.h \
 libtext/include/libtext.h
tools/cli.h:
libtext/include/libtext.h:
