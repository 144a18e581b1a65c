# PostgreSQL as the second engine (issue 13, docs/deployment.md).
# `make deps` installs the server (Debian's package; 15 on bookworm) with the rest, and
# `make test` runs the tests beside a throwaway cluster (mk/pg-test-cluster.sh): owned by an
# unprivileged user, on a Unix socket in a temporary folder, stopped when the tests end,
# passed or failed. Tests that need it read PAKN_TEST_PG; `make run` stays on SQLite.
#   make pg-shell     # a psql prompt on a throwaway cluster, for trying the schema by hand
APT_PACKAGES += postgresql postgresql-contrib

# What `make test` wraps the test run in (the Makefile's test rule).
TEST_WRAP = sh mk/pg-test-cluster.sh

.PHONY: pg-shell
pg-shell: deps
	sh mk/pg-test-cluster.sh sh -c 'psql "$$PAKN_TEST_PG"'
