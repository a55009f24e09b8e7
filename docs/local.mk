# docs fragment (see Makefile.am)
