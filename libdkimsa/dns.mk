# libdkimsa fragment (see Makefile.am): the library handle, the DNS layer
# (libunbound and fake backends), DKIM keys over DNS, ADSP.
libdkimsa_libdkimsa_la_SOURCES += \
	libdkimsa/lib.c libdkimsa/lib.h \
	libdkimsa/dns.c libdkimsa/dns.h libdkimsa/dns_int.h \
	libdkimsa/dns_fake.c \
	libdkimsa/keydns.c \
	libdkimsa/adsp.c libdkimsa/adsp.h
