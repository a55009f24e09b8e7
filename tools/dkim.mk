# dkimsa-sign and dkimsa-verify: offline DKIM command-line tools.
noinst_LTLIBRARIES += tools/common/libmsgfile.la
tools_common_libmsgfile_la_SOURCES = tools/common/msgfile.c tools/common/msgfile.h

bin_PROGRAMS += tools/sign/dkimsa-sign tools/verify/dkimsa-verify
tools_sign_dkimsa_sign_SOURCES = tools/sign/main.c
tools_sign_dkimsa_sign_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools/common
tools_sign_dkimsa_sign_LDADD = tools/common/libmsgfile.la libdkimsa/libdkimsa.la
tools_verify_dkimsa_verify_SOURCES = tools/verify/main.c
tools_verify_dkimsa_verify_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools/common
tools_verify_dkimsa_verify_LDADD = tools/common/libmsgfile.la libdkimsa/libdkimsa.la
