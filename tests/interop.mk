# tests/interop.mk: fragment of Makefile.am.  Script tests that drive
# other implementations and tools: dkimpy interop (both directions) and
# the style checks (clang-format, cppcheck).
SCRIPT_TESTS += tests/interop/dkimpy-interop.sh tests/style/lint.sh
EXTRA_DIST += tests/interop/dkimpy-interop.sh \
	tests/interop/gen_messages.py \
	tests/interop/dkimpy_side.py \
	tests/style/lint.sh
