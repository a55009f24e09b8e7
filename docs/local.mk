# SPDX-License-Identifier: BSD-2-Clause
# docs: man pages, installed and distributed;
# the README and the Quick start scripts it names travel in the tarball.
dist_man_MANS += docs/dkimsa-sign.1 docs/dkimsa-verify.1
EXTRA_DIST += README.md LICENSE scripts/install-deps.sh scripts/setup.sh \
	scripts/test.sh scripts/common.sh

# The milter's manual pages,
# the files shipped for it under contrib/, and the example configuration
# installed as $(sysconfdir)/dkimsa.conf.example (never over a real
# dkimsa.conf).
dist_man_MANS += docs/dkimsa.8 docs/dkimsa.conf.5 docs/dkimsa-migration.7
EXTRA_DIST += contrib/dkimsa.conf contrib/systemd/dkimsa.service \
	contrib/postfix/main.cf contrib/postfix/README docs/keys-test.sh \
	contrib/prometheus/prometheus.yml contrib/prometheus/README \
	contrib/prometheus/grafana-dashboard.json
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
