# docs fragment (see Makefile.am): man pages, installed and distributed;
# the README and the Quick start scripts it names travel in the tarball.
dist_man_MANS += docs/dkimsa-sign.1 docs/dkimsa-verify.1
EXTRA_DIST += README.md LICENSE scripts/install-deps.sh scripts/setup.sh \
	scripts/test.sh scripts/common.sh
