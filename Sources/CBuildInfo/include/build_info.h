// What this build is: its version (the VERSION file) and the git commit it was built from. Package.swift passes both
// as C defines when it compiles build_info.c; Swift reads them through MOReceiver's BuildInfo.
#ifndef MO_BUILD_INFO_H
#define MO_BUILD_INFO_H

const char *mo_build_version(void);
const char *mo_build_commit(void);

#endif
