# keytable fragment (see Makefile.am)
