# libdkimsa fragment (see Makefile.am)
