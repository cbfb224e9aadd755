#include "build_info.h"

#ifndef MO_VERSION
#define MO_VERSION "0.0.0"
#endif
#ifndef MO_COMMIT
#define MO_COMMIT "unknown"
#endif

const char *mo_build_version(void) { return MO_VERSION; }
const char *mo_build_commit(void) { return MO_COMMIT; }
