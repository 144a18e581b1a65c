# make fuzz-desk: random key sequences against the desk (DeskRunner on a demo database,
# every frame checked for control characters), for PAKN_FUZZ_SECONDS (default 300).
# PAKN_FUZZ_SEED=N replays a run (each episode prints its seed before it starts).
PAKN_FUZZ_SECONDS ?= 300

.PHONY: fuzz-desk
fuzz-desk: deps
	$(SWIFT) build --build-tests
	PAKN_FUZZ_SECONDS=$(PAKN_FUZZ_SECONDS) $(if $(PAKN_FUZZ_SEED),PAKN_FUZZ_SEED=$(PAKN_FUZZ_SEED)) \
	  $(SWIFT) test --skip-build --filter 'DeskFuzzTests'
