# docs/milter.mk: fragment of Makefile.am - the milter's manual pages,
# the files shipped for it under contrib/, and the example configuration
# installed as $(sysconfdir)/dkimsa.conf.example (never over a real
# dkimsa.conf).
dist_man_MANS += docs/dkimsa.8 docs/dkimsa.conf.5 docs/dkimsa-migration.7
EXTRA_DIST += contrib/dkimsa.conf contrib/systemd/dkimsa.service \
	contrib/postfix/main.cf contrib/postfix/README docs/keys-test.sh
SCRIPT_TESTS += docs/keys-test.sh

install-data-local: install-dkimsa-conf-example
uninstall-local: uninstall-dkimsa-conf-example

install-dkimsa-conf-example:
	$(MKDIR_P) '$(DESTDIR)$(sysconfdir)'
	$(INSTALL_DATA) '$(srcdir)/contrib/dkimsa.conf' \
	  '$(DESTDIR)$(sysconfdir)/dkimsa.conf.example'

uninstall-dkimsa-conf-example:
	rm -f '$(DESTDIR)$(sysconfdir)/dkimsa.conf.example'

.PHONY: install-dkimsa-conf-example uninstall-dkimsa-conf-example
