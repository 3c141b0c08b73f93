build-asan/tools/cli.o: tools/cli.c tools/cli.h libtext/include/libtext.h
tools/cli.h:
libtext/include/libtext.h:
