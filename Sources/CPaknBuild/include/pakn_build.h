#ifndef PAKN_BUILD_H
#define PAKN_BUILD_H

// The git commit pakn was built from ("91914af", "91914af-dirty"), or "unknown" when it was
// built outside `make` or outside a git checkout. See build.c.
const char *pakn_build_commit(void);

#endif
