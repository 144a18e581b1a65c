// The build's commit, for `pakn --version`. `make` (mk/buildinfo.sh) writes build_commit.h
// beside this file (not tracked by git) with the checkout's commit and touches this file so
// that it is compiled again; a plain `swift build` without it says "unknown".
#include "pakn_build.h"

#if defined(__has_include)
#if __has_include("build_commit.h")
#include "build_commit.h"
#endif
#endif

#ifndef PAKN_BUILD_COMMIT
#define PAKN_BUILD_COMMIT "unknown"
#endif

const char *pakn_build_commit(void) { return PAKN_BUILD_COMMIT; }
