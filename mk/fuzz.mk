# make fuzz — the fuzz tests (search queries → FTS5, citizen text cleaning and output
# escaping, the units importer, and the CSV case importer where this build has it), each
# for PAKN_FUZZ_SECONDS instead of the few seconds `make test` gives them.
#   make fuzz                              # 600 s each, a fresh seed
#   make fuzz PAKN_FUZZ_SECONDS=3600 PAKN_FUZZ_SEED=42
# The seed is printed first: a failure names the input, and the same seed replays it. Add
# what it finds to FuzzCorpus.regressions (Tests/PaknStoreTests/FuzzTests.swift).
# The desk's input fuzzing has its own target: make fuzz-desk (mk/desk-fuzz.mk).
# PAKN_FUZZ_SECONDS is shared with that file, which gives it its own default: ours is 600
# unless it was set on the command line or in the environment.
FUZZ_SECONDS = $(if $(filter file,$(origin PAKN_FUZZ_SECONDS)),600,$(or $(PAKN_FUZZ_SECONDS),600))
FUZZ_SEED   := $(or $(PAKN_FUZZ_SEED),$(shell date +%s))

.PHONY: fuzz
fuzz: deps
	$(SWIFT) build --build-tests
	@echo "fuzz: $(FUZZ_SECONDS) s per test, seed $(FUZZ_SEED)"
	PAKN_FUZZ_SECONDS=$(FUZZ_SECONDS) PAKN_FUZZ_ITERATIONS=1000000000 PAKN_FUZZ_SEED=$(FUZZ_SEED) \
	  $(SWIFT) test --skip-build --filter 'PaknStoreTests\.(Import)?FuzzTests'
