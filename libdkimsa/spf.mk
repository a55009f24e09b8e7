# libdkimsa fragment (see Makefile.am): SPF (RFC 7208) and Sender ID
# (RFC 4406/4407).
libdkimsa_libdkimsa_la_SOURCES += \
	libdkimsa/addr.c libdkimsa/addr.h \
	libdkimsa/spf_rec.c libdkimsa/spf_rec.h \
	libdkimsa/spf_macro.c libdkimsa/spf_macro.h \
	libdkimsa/spf_eval.c libdkimsa/spf_eval.h libdkimsa/spf_mech.c \
	libdkimsa/sid.c libdkimsa/sid.h \
	libdkimsa/sid_pra.c libdkimsa/sid_pra.h \
	libdkimsa/spf.c libdkimsa/spf.h libdkimsa/spf_hdr.c
